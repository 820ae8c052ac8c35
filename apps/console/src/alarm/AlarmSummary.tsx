import type { Alarm } from '../api/types';
import { AgeTicker } from '../components/AgeTicker';
import { EscalationBadge } from '../components/EscalationBadge';
import { SeverityBadge } from '../components/SeverityBadge';
import { StateBadge } from '../components/StateBadge';
import { formatDateTime } from '../i18n/format';
import { useI18n } from '../i18n/useI18n';

/** The alarm's headline: what, how bad, how long, who acknowledged. */
export function AlarmSummary({ alarm, bedLabel }: { alarm: Alarm; bedLabel: string | null }) {
  const { t, tx } = useI18n();
  return (
    <section className={`summary-card row-${alarm.severity}`} data-testid="alarm-summary" data-alarm-id={alarm.id} data-state={alarm.state} data-severity={alarm.severity}>
      <div className="summary-title">
        <SeverityBadge severity={alarm.severity} />
        <h1>{tx('kind', alarm.kind)}</h1>
        <StateBadge state={alarm.state} />
        <EscalationBadge level={alarm.escalationLevel} />
        {alarm.cleared && <span className="badge cleared">{t('queue.cleared')}</span>}
        <span className="spacer" />
        {alarm.state !== 'resolved' && <span className="big-age"><AgeTicker since={alarm.raisedAt} /></span>}
      </div>
      {alarm.message && <p className="summary-message">{alarm.message}</p>}
      <dl className="facts">
        <dt>{t('detail.bed')}</dt>
        <dd>{bedLabel ?? alarm.bedId}</dd>
        <dt>{t('detail.raisedAt')}</dt>
        <dd>{formatDateTime(alarm.raisedAt)}</dd>
        {alarm.acknowledgedAt && (
          <>
            <dt>{t('detail.acknowledgedAt')}</dt>
            <dd data-testid="acknowledged-at">
              {formatDateTime(alarm.acknowledgedAt)}
              {alarm.acknowledgedBy ? ` · ${alarm.acknowledgedBy}` : ''}
            </dd>
          </>
        )}
        {alarm.resolvedAt && (
          <>
            <dt>{t('detail.resolvedAt')}</dt>
            <dd>{formatDateTime(alarm.resolvedAt)}</dd>
            <dt>{t('detail.outcome')}</dt>
            <dd data-testid="alarm-outcome">{tx('outcome', alarm.outcome)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
