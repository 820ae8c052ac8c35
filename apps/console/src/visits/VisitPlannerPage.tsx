import { useEffect, useState } from 'react';
import { supervisionApi, type Region } from '../api/supervision';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatDateTime } from '../i18n/format';
import { useI18n } from '../i18n/useI18n';
import { Link } from '../router/Link';
import { MyVisitsList } from './MyVisitsList';
import { useMyVisits, useVisitStream, useVisits } from './useVisits';
import { VisitActions } from './VisitActions';
import { visitReason } from './visitReason';
import './supervision.css';

/**
 * The coordinator's visit list (open visits soonest due first, overdue ones marked, assign and
 * check in) and a worker's own visits; both follow the hub's visit stream live.
 */
export function VisitPlannerPage() {
  const { t, tx, tn } = useI18n();
  const [view, setView] = useState<'all' | 'mine'>('all');
  const stream = useVisitStream();
  const mine = useMyVisits(stream.version);
  const [state, setState] = useState<'open' | ''>('open');
  const [overdue, setOverdue] = useState(false);
  const [districtId, setDistrictId] = useState('');
  const [districts, setDistricts] = useState<Region[]>([]);
  const [actionError, setActionError] = useState<unknown>(null);
  const { visits, error, reload } = useVisits(
    {
      state: state ? [state] : undefined,
      overdue: overdue || undefined,
      districtId: districtId || undefined,
      limit: 500,
    },
    stream.version,
  );
  const done = (err?: unknown) => {
    setActionError(err ?? null);
    reload();
    mine.reload();
  };

  useEffect(() => {
    const ctrl = new AbortController();
    supervisionApi
      .regions(undefined, ctrl.signal)
      .then(setDistricts)
      .catch(() => setDistricts([]));
    return () => ctrl.abort();
  }, []);

  const allVisits = (
    <>
      <div className="page-head">
        <label className="inline">
          {t('visits.filter.state')}
          <select value={state} onChange={(e) => setState(e.target.value as 'open' | '')} data-testid="visits-state">
            <option value="open">{t('visits.filter.open')}</option>
            <option value="">{t('visits.filter.all')}</option>
          </select>
        </label>
        <label className="inline">
          {t('visits.filter.district')}
          <select value={districtId} onChange={(e) => setDistrictId(e.target.value)} data-testid="visits-district">
            <option value="">{t('visits.filter.allDistricts')}</option>
            {districts.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          <input
            type="checkbox"
            checked={overdue}
            onChange={(e) => setOverdue(e.target.checked)}
            data-testid="visits-overdue-only"
          />
          {t('visits.filter.overdue')}
        </label>
      </div>
      <ErrorMessage error={error ?? actionError} testId="visits-error" />
      {visits && (
        <p className="muted" data-testid="visits-count">
          {t('visits.count', { count: visits.length, overdue: visits.filter((v) => v.overdue).length })}
        </p>
      )}
      {visits && visits.length === 0 && <p className="muted">{t('visits.empty')}</p>}
      {visits && visits.length > 0 && (
        <table className="grid visits" data-testid="visits-table">
          <thead>
            <tr>
              <th>{t('visits.col.resident')}</th>
              <th>{t('visits.col.place')}</th>
              <th>{t('visits.col.reason')}</th>
              <th>{t('visits.col.due')}</th>
              <th>{t('visits.col.state')}</th>
              <th>{t('visits.col.assignee')}</th>
              <th>{t('visits.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {visits.map((v) => (
              <tr
                key={v.id}
                data-testid={`visit-${v.id}`}
                data-state={v.state}
                data-overdue={v.overdue ? 'true' : 'false'}
                className={v.overdue ? 'overdue' : ''}
              >
                <td>
                  <Link href={`/residents/${v.residentId}`}>{v.residentName ?? v.residentId}</Link>
                  <div className="muted small">{v.address}</div>
                </td>
                <td>{[v.district?.name, v.street?.name].filter(Boolean).join(' / ') || '—'}</td>
                <td>
                  <span className="badge">{tx('visits.source', v.source)}</span> {visitReason(v, tn)}
                </td>
                <td>
                  {formatDateTime(v.dueAt)}
                  {v.overdue && (
                    <span className="badge sev sev-critical" data-testid="visit-overdue">
                      {t('visits.overdue')}
                    </span>
                  )}
                </td>
                <td>{tx('visits.state', v.state)}</td>
                <td>{v.assignee ? `${tx('visits.assign', v.assignee.kind)} ${v.assignee.name}` : '—'}</td>
                <td>
                  <VisitActions visit={v} onDone={done} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );

  return (
    <main className="page visits-page" data-testid="visits-page">
      <div className="page-head">
        <h1>{t('visits.title')}</h1>
        <div className="tabs" role="tablist">
          {(['all', 'mine'] as const).map((v) => (
            <button
              key={v}
              type="button"
              role="tab"
              aria-selected={view === v}
              className={view === v ? 'active' : ''}
              data-testid={`visits-view-${v}`}
              onClick={() => setView(v)}
            >
              {v === 'all' ? t('visits.view.all') : t('visits.view.mine', { count: mine.visits?.length ?? 0 })}
            </button>
          ))}
        </div>
        <span className={`badge stream-${stream.status}`} data-testid="visits-stream" data-status={stream.status}>
          {t(`visits.stream.${stream.status}`)}
        </span>
      </div>
      {view === 'mine' ? (
        <>
          <ErrorMessage error={actionError} testId="visits-error" />
          <MyVisitsList visits={mine.visits} error={mine.error} onDone={done} />
        </>
      ) : (
        allVisits
      )}
    </main>
  );
}
