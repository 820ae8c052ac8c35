import { useCallback, type FormEvent } from 'react';
import { endpoints } from '../api/endpoints';
import { OUTCOMES, type Alarm, type AlarmDetail, type Outcome } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { Panel } from '../components/Panel';
import { useAsyncAction } from '../components/useAsyncAction';
import { useDraft } from '../components/useDraft';
import { useI18n } from '../i18n/useI18n';

export function ResolveForm({ alarm, onDone }: { alarm: Alarm; onDone: (res: AlarmDetail) => void }) {
  const { t, tx } = useI18n();
  const [draftOutcome, setOutcome, clearOutcome] = useDraft(`resolve-outcome.${alarm.id}`);
  const [note, setNote, clearNote] = useDraft(`resolve-note.${alarm.id}`);
  const outcome = (OUTCOMES as readonly string[]).includes(draftOutcome) ? (draftOutcome as Outcome) : '';
  const resolve = useCallback(
    async (o: Outcome, n: string) => {
      const res = await endpoints.resolve(alarm.id, o, n || undefined);
      clearOutcome();
      clearNote();
      onDone(res);
    },
    [alarm.id, onDone, clearOutcome, clearNote],
  );
  const { run, busy, error } = useAsyncAction(resolve);
  if (alarm.state === 'resolved') return null;
  const needsAck = alarm.state !== 'acknowledged';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (outcome) void run(outcome, note.trim());
  };
  return (
    <Panel title={t('resolve.title')} testId="resolve-panel">
      <form onSubmit={submit} className="stack">
        <label>
          {t('resolve.outcome')}
          <select value={outcome} onChange={(e) => setOutcome(e.target.value)} data-testid="resolve-outcome" required>
            <option value="">{t('resolve.choose')}</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {tx('outcome', o)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('resolve.note')}
          <textarea
            rows={2}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            data-testid="resolve-note"
            maxLength={2000}
          />
        </label>
        {needsAck && <p className="hint">{t('resolve.needsAck')}</p>}
        <ErrorMessage error={error} testId="resolve-error" />
        <button
          type="submit"
          className="btn btn-primary"
          disabled={busy || !outcome || needsAck}
          data-testid="resolve-submit"
        >
          {busy ? t('resolve.submitting') : t('resolve.submit')}
        </button>
      </form>
    </Panel>
  );
}
