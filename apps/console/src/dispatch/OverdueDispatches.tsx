import type { OpenDispatch } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatDateTime } from '../i18n/format';
import { useI18n } from '../i18n/useI18n';
import { Link } from '../router/Link';
import './dispatch.css';

/** The count of overdue work orders (异常工单) for a page header; links to the list. */
export function OverdueCount({ dispatches }: { dispatches: OpenDispatch[] | null }) {
  const { t } = useI18n();
  const n = dispatches?.length ?? 0;
  return (
    <a
      href="#overdue-orders"
      className={`badge overdue-count ${n > 0 ? 'sev sev-critical' : 'overdue-none'}`}
      data-testid="overdue-count"
      data-count={dispatches === null ? '' : String(n)}
      aria-live="polite"
    >
      {t('overdue.count', { n })}
    </a>
  );
}

/** Overdue work orders across alarms, most overdue first, each linking to its alarm. */
export function OverdueDispatchList({
  dispatches,
  error,
}: {
  dispatches: OpenDispatch[] | null;
  error: string | null;
}) {
  const { t, tx } = useI18n();
  if (!error && (!dispatches || dispatches.length === 0)) return null;
  return (
    <section
      id="overdue-orders"
      className="overdue-orders"
      data-testid="overdue-orders"
      aria-labelledby="overdue-title"
    >
      <h2 id="overdue-title">{t('overdue.title')}</h2>
      <ErrorMessage error={error} testId="overdue-error" />
      {dispatches && dispatches.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>{t('overdue.responder')}</th>
              <th>{t('overdue.step')}</th>
              <th>{t('overdue.due')}</th>
              <th>{t('overdue.resident')}</th>
              <th>{t('overdue.alarm')}</th>
            </tr>
          </thead>
          <tbody>
            {dispatches.map((d) => (
              <tr key={d.id} data-testid="overdue-order" data-dispatch-id={d.id}>
                <td>
                  <strong>{d.responderName}</strong>{' '}
                  <span className="muted small">· {tx('dispatch.type', d.responderType)}</span>
                </td>
                <td>{tx('dispatch.step', d.status === 'on_site' ? 'close' : 'arrival')}</td>
                <td>{d.dueAt ? formatDateTime(d.dueAt) : '—'}</td>
                <td>
                  {d.residentName ?? '—'} <span className="muted small">· {d.householdName}</span>
                </td>
                <td>
                  <Link href={`/alarms/${encodeURIComponent(d.alarmId)}`}>
                    {tx('kind', d.alarmKind)} · {t('overdue.open')}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
