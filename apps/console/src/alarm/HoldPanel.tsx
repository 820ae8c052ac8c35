import { useCallback, useState, type FormEvent } from 'react';
import { endpoints } from '../api/endpoints';
import type { Alarm, AlarmDetail } from '../api/types';
import { canSupervise, useAuth } from '../auth/useAuth';
import { ErrorMessage } from '../components/ErrorMessage';
import { Panel } from '../components/Panel';
import { useAsyncAction } from '../components/useAsyncAction';
import { useDraft } from '../components/useDraft';
import { formatDateTime } from '../i18n/format';
import { useI18n } from '../i18n/useI18n';

const RETURN_CHOICES_MIN = [5, 10, 15, 30, 60, 120];

/**
 * Holds the alarm with a reason until a return time, when it alerts again one level higher. A
 * held critical keeps escalating; only a supervisor may stop that.
 */
export function HoldPanel({ alarm, onDone }: { alarm: Alarm; onDone: (res: AlarmDetail) => void }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const [reason, setReason, clearReason] = useDraft(`hold.${alarm.id}`);
  const [minutes, setMinutes] = useState(15);
  const [stopEscalation, setStopEscalation] = useState(false);
  const hold = useCallback(async () => {
    const until = new Date(Date.now() + minutes * 60_000).toISOString();
    onDone(
      await endpoints.hold(alarm.id, { until, reason: reason.trim(), stopEscalation: stopEscalation || undefined }),
    );
  }, [alarm.id, minutes, reason, stopEscalation, onDone]);
  const end = useCallback(async () => onDone(await endpoints.endHold(alarm.id)), [alarm.id, onDone]);
  const [stopReason, setStopReason, clearStopReason] = useDraft(`hold-stop.${alarm.id}`);
  const stop = useCallback(
    async () => onDone(await endpoints.stopHoldEscalation(alarm.id, stopReason.trim())),
    [alarm.id, stopReason, onDone],
  );
  const holding = useAsyncAction(hold);
  const ending = useAsyncAction(end);
  const stopping = useAsyncAction(stop);
  if (alarm.state === 'resolved') return null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim() && (await holding.run())) clearReason();
  };
  if (alarm.heldUntil) {
    return (
      <Panel title={t('hold.title')} testId="hold-panel">
        <p data-testid="hold-status">
          {t('hold.heldUntil', { time: formatDateTime(alarm.heldUntil), reason: alarm.holdReason ?? '' })}
        </p>
        {alarm.holdEscalates && <p className="small hold-warn">{t('hold.escalates')}</p>}
        {alarm.holdEscalates && canSupervise(user?.role) && (
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              if (stopReason.trim()) void stopping.run().then((ok) => ok && clearStopReason());
            }}
            data-testid="hold-stop-form"
          >
            <label className="field">
              <span>{t('hold.stopReason')}</span>
              <input
                value={stopReason}
                onChange={(e) => setStopReason(e.target.value)}
                maxLength={500}
                placeholder={t('hold.stopReasonPlaceholder')}
                data-testid="hold-stop-reason"
              />
            </label>
            <ErrorMessage error={stopping.error} testId="hold-stop-error" />
            <button
              type="submit"
              className="btn"
              disabled={stopping.busy || !stopReason.trim()}
              data-testid="hold-stop-submit"
            >
              {t('hold.stopSubmit')}
            </button>
          </form>
        )}
        {alarm.heldUntil && alarm.severity === 'critical' && !alarm.holdEscalates && (
          <p className="small" data-testid="hold-escalation-stopped">
            {t('hold.escalationStopped')}
          </p>
        )}
        <ErrorMessage error={ending.error} testId="hold-error" />
        <button
          type="button"
          className="btn"
          disabled={ending.busy}
          onClick={() => void ending.run()}
          data-testid="hold-end"
        >
          {t('hold.end')}
        </button>
      </Panel>
    );
  }
  const critical = alarm.severity === 'critical';
  return (
    <Panel title={t('hold.title')} testId="hold-panel">
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>{t('hold.reason')}</span>
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={500}
            placeholder={t('hold.reasonPlaceholder')}
            data-testid="hold-reason"
          />
        </label>
        <label className="field">
          <span>{t('hold.returnIn')}</span>
          <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} data-testid="hold-minutes">
            {RETURN_CHOICES_MIN.map((m) => (
              <option key={m} value={m}>
                {t('hold.minutes', { min: m })}
              </option>
            ))}
          </select>
        </label>
        {critical && <p className="small hold-warn">{t('hold.escalates')}</p>}
        {critical && canSupervise(user?.role) && (
          <label className="check">
            <input
              type="checkbox"
              checked={stopEscalation}
              onChange={(e) => setStopEscalation(e.target.checked)}
              data-testid="hold-stop-escalation"
            />
            <span>{t('hold.stopEscalation')}</span>
          </label>
        )}
        <ErrorMessage error={holding.error} testId="hold-error" />
        <button type="submit" className="btn" disabled={holding.busy || !reason.trim()} data-testid="hold-submit">
          {t('hold.submit')}
        </button>
      </form>
    </Panel>
  );
}
