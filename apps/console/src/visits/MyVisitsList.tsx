import type { Visit } from '../api/supervision';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatDateTime } from '../i18n/format';
import { useI18n } from '../i18n/useI18n';
import { Link } from '../router/Link';
import { VisitActions } from './VisitActions';
import { visitReason } from './visitReason';

type Group = 'overdue' | 'today' | 'later';

/** Overdue first, then due before the end of today (the workstation's day), then later. */
export function groupOf(v: Visit, now: Date): Group {
  if (v.overdue) return 'overdue';
  const endOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime();
  return v.dueAt < endOfToday ? 'today' : 'later';
}

/** A community worker's own open visits, in the order they should be done. */
export function MyVisitsList({
  visits,
  error,
  onDone,
}: {
  visits: Visit[] | null;
  error: unknown;
  onDone: (error?: unknown) => void;
}) {
  const { t, tx, tn } = useI18n();
  const now = new Date();
  const groups: Group[] = ['overdue', 'today', 'later'];
  return (
    <section data-testid="my-visits">
      <ErrorMessage error={error} testId="my-visits-error" />
      {visits && visits.length === 0 && <p className="muted">{t('visits.mine.empty')}</p>}
      {visits &&
        groups.map((g) => {
          const list = visits.filter((v) => groupOf(v, now) === g);
          if (!list.length) return null;
          return (
            <div key={g} data-testid={`my-visits-${g}`}>
              <h2>
                {t(`visits.mine.${g}`)} <span className="muted small">({list.length})</span>
              </h2>
              <ul className="my-visits">
                {list.map((v) => (
                  <li
                    key={v.id}
                    data-testid={`my-visit-${v.id}`}
                    data-overdue={v.overdue ? 'true' : 'false'}
                    className={v.overdue ? 'overdue' : ''}
                  >
                    <div>
                      <Link href={`/residents/${v.residentId}`}>{v.residentName ?? v.residentId}</Link>{' '}
                      <span className="muted small">{v.address}</span>
                    </div>
                    <div>
                      {formatDateTime(v.dueAt)} · <span className="badge">{tx('visits.source', v.source)}</span>{' '}
                      {visitReason(v, tn)}
                    </div>
                    <VisitActions visit={v} onDone={onDone} />
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
    </section>
  );
}
