import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/errors';
import { supervisionApi, type VisitRecord } from '../api/supervision';
import type { Alarm } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { Panel } from '../components/Panel';
import { useAsyncAction } from '../components/useAsyncAction';
import { useDraft } from '../components/useDraft';
import { formatDateTime } from '../i18n/format';
import { useI18n } from '../i18n/useI18n';
import { Link } from '../router/Link';
import { visitReason } from '../visits/visitReason';

const DUE_CHOICES_DAYS = [1, 3, 7];

/**
 * A follow-up visit to the resident after this alarm, planned by the operator who handled it: it
 * joins the visit planner's list as a work order. One per alarm; once planned, its state is shown.
 */
export function FollowUpVisitPanel({ alarm, residentId }: { alarm: Alarm; residentId: string | null }) {
  const { t, tn, tx } = useI18n();
  const [visit, setVisit] = useState<VisitRecord | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [note, setNote, clearNote] = useDraft(`follow-up.${alarm.id}`);
  const [days, setDays] = useState(DUE_CHOICES_DAYS[0]);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      if (!residentId) return;
      const visits = await supervisionApi.residentVisits(residentId, signal);
      const own = visits.find((v) => v.source === 'alarm' && v.alarmId === alarm.id);
      setVisit(own ?? null);
      setLoaded(true);
    },
    [residentId, alarm.id],
  );
  useEffect(() => {
    const ctrl = new AbortController();
    load(ctrl.signal).catch(() => setLoaded(true));
    return () => ctrl.abort();
  }, [load]);

  const plan = useCallback(async () => {
    const dueAt = new Date(Date.now() + days * 86_400_000).toISOString();
    try {
      const v = await supervisionApi.followUp(alarm.id, { dueAt, note: note.trim() || undefined });
      setVisit(v);
    } catch (err) {
      // Another operator planned it meanwhile: show theirs.
      if (err instanceof ApiError && err.status === 409) await load();
      else throw err;
    }
  }, [alarm.id, days, note, load]);
  const planning = useAsyncAction(plan);

  if (!residentId || !loaded) return null;
  if (visit) {
    return (
      <Panel title={t('followUp.title')} testId="follow-up-panel">
        <p data-testid="follow-up-visit" data-state={visit.state}>
          <span className="badge">{tx('visits.state', visit.state)}</span>{' '}
          {t('followUp.due', { time: formatDateTime(visit.dueAt) })}
          {visit.overdue && <span className="badge sev sev-critical">{t('visits.overdue')}</span>}
        </p>
        <p className="small">{visitReason(visit, tn)}</p>
        {visit.assignee && (
          <p className="small">{`${tx('visits.assign', visit.assignee.kind)} ${visit.assignee.name}`}</p>
        )}
        <Link href={`/residents/${residentId}`} className="small" data-testid="follow-up-resident">
          {t('followUp.resident')}
        </Link>
      </Panel>
    );
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await planning.run()) clearNote();
  };
  return (
    <Panel title={t('followUp.title')} testId="follow-up-panel">
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>{t('followUp.note')}</span>
          <textarea
            value={note}
            onChange={(e) => setNote(e.target.value)}
            maxLength={400}
            rows={2}
            placeholder={t('followUp.notePlaceholder')}
            data-testid="follow-up-note"
          />
        </label>
        <label className="field">
          <span>{t('followUp.dueIn')}</span>
          <select value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="follow-up-days">
            {DUE_CHOICES_DAYS.map((d) => (
              <option key={d} value={d}>
                {t('followUp.days', { days: d })}
              </option>
            ))}
          </select>
        </label>
        <ErrorMessage error={planning.error} testId="follow-up-error" />
        <button type="submit" className="btn" disabled={planning.busy} data-testid="follow-up-submit">
          {t('followUp.submit')}
        </button>
      </form>
    </Panel>
  );
}
