import { useEffect, useRef, useState } from 'react';
import { describeAlarm } from '../i18n/serverText';
import { useI18n } from '../i18n/useI18n';
import { useAlarmQueue } from './useAlarmQueue';

/**
 * Tells screen readers about each newly raised alarm (what, who, where); the alarms already open
 * at sign-in are the queue itself, not news. Criticals interrupt, others wait their turn.
 */
export function NewAlarmAnnouncer() {
  const i18n = useI18n();
  const { tx } = i18n;
  const { alarms, loading } = useAlarmQueue();
  const seen = useRef<Set<string> | null>(null);
  const [message, setMessage] = useState({ text: '', critical: false });

  useEffect(() => {
    if (loading) return;
    if (seen.current === null) {
      seen.current = new Set(alarms.map((a) => a.id));
      return;
    }
    const fresh = alarms.filter((a) => a.state === 'raised' && !seen.current!.has(a.id));
    alarms.forEach((a) => seen.current!.add(a.id));
    if (fresh.length === 0) return;
    const text = fresh
      .map((a) =>
        [tx('severity', a.severity), tx('kind', a.kind), a.residentName, a.address, describeAlarm(a, i18n)]
          .filter(Boolean)
          .join('，'),
      )
      .join('。');
    setMessage({ text, critical: fresh.some((a) => a.severity === 'critical') });
  }, [alarms, loading, tx, i18n]);

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
