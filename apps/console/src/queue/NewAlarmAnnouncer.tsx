import { useEffect, useRef, useState } from 'react';
import { describeAlarm } from '../i18n/serverText';
import { useI18n } from '../i18n/useI18n';
import { useAlarmQueue } from './useAlarmQueue';

/**
 * Tells screen readers about each newly raised alarm (what, who, where); the alarms already open
 * at sign-in are the queue itself, not news. Criticals interrupt, others wait their turn. A call
 * for help not stored yet is announced as such when it first appears.
 */
export function NewAlarmAnnouncer() {
  const i18n = useI18n();
  const { t, tx } = i18n;
  const { alarms, provisional, loading } = useAlarmQueue();
  const heardCalls = useRef<Set<string>>(new Set());
  const seen = useRef<Set<string> | null>(null);
  const held = useRef<Map<string, number>>(new Map());
  const [message, setMessage] = useState({ text: '', critical: false });

  useEffect(() => {
    if (loading) return;
    if (seen.current === null) {
      seen.current = new Set(alarms.map((a) => a.id));
      held.current = new Map(alarms.filter((a) => a.heldUntil).map((a) => [a.id, a.escalationLevel]));
      return;
    }
    const fresh = alarms.filter((a) => a.state === 'raised' && !seen.current!.has(a.id));
    // Back from hold at its return time (its level went up): news again.
    const back = alarms.filter((a) => {
      const level = held.current.get(a.id);
      return level !== undefined && !a.heldUntil && a.escalationLevel > level;
    });
    alarms.forEach((a) => seen.current!.add(a.id));
    held.current = new Map(alarms.filter((a) => a.heldUntil).map((a) => [a.id, a.escalationLevel]));
    if (fresh.length === 0 && back.length === 0) return;
    const say = (a: (typeof alarms)[number]) =>
      [tx('severity', a.severity), tx('kind', a.kind), a.residentName, a.address, describeAlarm(a, i18n)]
        .filter(Boolean)
        .join('，');
    const text = [...fresh.map(say), ...back.map((a) => `${t('hold.backAnnounce')}：${say(a)}`)].join('。');
    setMessage({ text, critical: [...fresh, ...back].some((a) => a.severity === 'critical') });
  }, [alarms, loading, t, tx, i18n]);

  // A call for help not stored yet is news at once, critical: someone needs help now.
  useEffect(() => {
    const fresh = provisional.filter((c) => !heardCalls.current.has(c.key));
    provisional.forEach((c) => heardCalls.current.add(c.key));
    if (fresh.length === 0) return;
    const text = fresh
      .map((c) =>
        [
          t('provisional.badge'),
          c.eventType === 'fall.detected' ? t('kind.fall') : t('kind.sos'),
          c.residentName ?? c.householdName,
          c.address,
        ]
          .filter(Boolean)
          .join('，'),
      )
      .join('。');
    setMessage({ text, critical: true });
  }, [provisional, t]);

  return (
    <div
      className="sr-only"
      aria-live={message.critical ? 'assertive' : 'polite'}
      aria-atomic="true"
      data-testid="alarm-announcer"
    >
      {message.text}
    </div>
  );
}
