import type { Dispatch, DispatchStatus, DispatchStep } from '../api/types';
import { formatDateTime, formatTime } from '../i18n/format';
import '../dispatch/dispatch.css';
import { useI18n } from '../i18n/useI18n';

const NEXT: Record<DispatchStatus, DispatchStep[]> = {
  dispatched: ['en_route', 'on_site', 'closed'],
  en_route: ['on_site', 'closed'],
  on_site: ['closed'],
  closed: [],
};

export function DispatchItem({
  dispatch,
  busy,
  onStatus,
}: {
  dispatch: Dispatch;
  busy: boolean;
  onStatus: (s: DispatchStep) => void;
}) {
  const { t, tx } = useI18n();
  const next = NEXT[dispatch.status] ?? [];
  return (
    <li
      className={`dispatch dispatch-${dispatch.status}`}
      data-testid="dispatch"
      data-dispatch-id={dispatch.id}
      data-status={dispatch.status}
      data-overdue={dispatch.overdue ? 'true' : 'false'}
    >
      <div>
        <strong>{dispatch.responderName}</strong>{' '}
        <span className="muted">· {tx('dispatch.type', dispatch.responderType)}</span>
        <span className="chip" data-testid="dispatch-status">
          {tx('dispatch.status', dispatch.status)}
        </span>
        <span className="muted small"> {formatTime(dispatch.updatedAt)}</span>
        {dispatch.dueAt && dispatch.status !== 'closed' && (
          <span className="muted small dispatch-due" data-testid="dispatch-due">
            {t('dispatch.due', { time: formatDateTime(dispatch.dueAt) })}
          </span>
        )}
        {dispatch.overdue && (
          <span className="badge sev sev-critical dispatch-due" data-testid="dispatch-overdue">
            {t('dispatch.overdue')}
          </span>
        )}
        {dispatch.note && <p className="muted small">{dispatch.note}</p>}
      </div>
      {next.length > 0 && (
        <div className="btn-row">
          {next.map((s) => (
            <button
              key={s}
              type="button"
              className="btn btn-small"
              disabled={busy}
              onClick={() => onStatus(s)}
              data-testid={`dispatch-set-${s}`}
            >
              {tx('dispatch.set', s)}
            </button>
          ))}
        </div>
      )}
    </li>
  );
}
