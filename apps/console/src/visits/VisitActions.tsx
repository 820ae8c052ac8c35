import { useState } from 'react';
import { supervisionApi, type Visit } from '../api/supervision';
import { useAuth } from '../auth/useAuth';
import { useI18n } from '../i18n/useI18n';

const OUTCOMES = ['well', 'needs_follow_up', 'referred', 'escalated'] as const;

/** Assign a planned visit (to a named worker or team, or to oneself); check in or cancel an assigned one. */
export function VisitActions({ visit, onDone }: { visit: Visit; onDone: (error?: unknown) => void }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const [kind, setKind] = useState<'worker' | 'team'>(visit.assignee?.kind ?? 'worker');
  const [name, setName] = useState(visit.assignee?.name ?? '');
  const [outcome, setOutcome] = useState<(typeof OUTCOMES)[number]>('well');
  const [busy, setBusy] = useState(false);
  if (visit.state !== 'planned' && visit.state !== 'assigned') return null;
  const run = (f: () => Promise<unknown>) => {
    setBusy(true);
    f()
      .then(() => onDone())
      .catch((err: unknown) => onDone(err))
      .finally(() => setBusy(false));
  };
  return (
    <div className="visit-actions" data-testid={`visit-actions-${visit.id}`}>
      <select
        value={kind}
        onChange={(e) => setKind(e.target.value as 'worker' | 'team')}
        aria-label={t('visits.assign')}
      >
        <option value="worker">{t('visits.assign.worker')}</option>
        <option value="team">{t('visits.assign.team')}</option>
      </select>
      <input
        value={name}
        placeholder={t('visits.assign.name')}
        onChange={(e) => setName(e.target.value)}
        data-testid="visit-assignee"
        size={8}
      />
      <button
        type="button"
        disabled={busy || !name.trim()}
        data-testid="visit-assign"
        onClick={() => run(() => supervisionApi.assign(visit.id, { kind, name: name.trim() }))}
      >
        {t('visits.assign')}
      </button>
      {user && user.organisationId !== null && (
        <button
          type="button"
          disabled={busy}
          data-testid="visit-assign-me"
          onClick={() => run(() => supervisionApi.assign(visit.id, { kind: 'worker', userId: user.id }))}
        >
          {t('visits.assignMe')}
        </button>
      )}
      {visit.state === 'assigned' && (
        <>
          <select
            value={outcome}
            onChange={(e) => setOutcome(e.target.value as (typeof OUTCOMES)[number])}
            aria-label={t('visits.outcome')}
            data-testid="visit-outcome"
          >
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`visits.outcome.${o}`)}
              </option>
            ))}
          </select>
          <button
            type="button"
            disabled={busy}
            data-testid="visit-visited"
            onClick={() => run(() => supervisionApi.checkIn(visit.id, { found: 'visited', outcome }))}
          >
            {t('visits.visited')}
          </button>
          <button
            type="button"
            disabled={busy}
            data-testid="visit-not-home"
            onClick={() => run(() => supervisionApi.checkIn(visit.id, { found: 'not_home' }))}
          >
            {t('visits.notHome')}
          </button>
        </>
      )}
      <button
        type="button"
        className="link"
        disabled={busy}
        data-testid="visit-cancel"
        onClick={() => {
          const reason = window.prompt(t('visits.cancel.reason'));
          if (reason?.trim()) run(() => supervisionApi.cancel(visit.id, { reason: reason.trim() }));
        }}
      >
        {t('visits.cancel')}
      </button>
    </div>
  );
}
