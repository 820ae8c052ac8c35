import { useEffect, useState } from 'react';
import { endpoints } from '../api/endpoints';
import type { ResidentTimelineItem } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { SeverityBadge } from '../components/SeverityBadge';
import { formatDateTime } from '../i18n/format';
import { describeAlarm } from '../i18n/serverText';
import { useI18n } from '../i18n/useI18n';
import { Link } from '../router/Link';

/** One resident's last 30 days: alarms and what their devices reported, newest first. */
export function ResidentTimelinePage({ id }: { id: string }) {
  const i18n = useI18n();
  const { t, tx } = i18n;
  const [items, setItems] = useState<ResidentTimelineItem[] | null>(null);
  const [name, setName] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    endpoints.residentTimeline(id, ctrl.signal).then(
      (r) => setItems(r.items),
      (err: unknown) => !ctrl.signal.aborted && setError(err),
    );
    endpoints.resident(id, ctrl.signal).then(
      (r) => setName(r.name),
      () => undefined,
    );
    return () => ctrl.abort();
  }, [id]);
  return (
    <main className="page resident-page" data-testid="resident-timeline-page">
      <Link href={`/history?residentId=${encodeURIComponent(id)}`} className="back" data-testid="resident-history-link">
        ← {t('resident.historyLink')}
      </Link>
      <h1>{t('resident.timelineTitle', { name: name ?? '' })}</h1>
      <ErrorMessage error={error} />
      {items && items.length === 0 && <p className="muted">{t('resident.timelineEmpty')}</p>}
      <ol className="timeline">
        {items?.map((e, i) => (
          <li key={i} className={`tl tl-${e.type}`} data-testid="resident-timeline-entry" data-type={e.type}>
            <time dateTime={String(e.at)}>{formatDateTime(e.at)}</time>
            {e.type === 'alarm' ? (
              <span>
                <SeverityBadge severity={e.alarm.severity} />{' '}
                <Link href={`/alarms/${encodeURIComponent(e.alarm.id)}`}>{tx('kind', e.alarm.kind)}</Link> ·{' '}
                {describeAlarm(e.alarm, i18n)} ·{' '}
                {e.alarm.state === 'resolved' ? tx('outcome', e.alarm.outcome) : tx('state', e.alarm.state)}
              </span>
            ) : (
              <span>
                {tx('devices.kind', e.event.deviceKind ?? 'other')} · {tx('deviceEvent', e.event.type)}
              </span>
            )}
          </li>
        ))}
      </ol>
    </main>
  );
}
