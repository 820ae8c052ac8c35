import type { Alarm, Time } from '../api/types';
import { AgeTicker } from '../components/AgeTicker';
import { EscalationBadge } from '../components/EscalationBadge';
import { SeverityBadge } from '../components/SeverityBadge';
import { StateBadge } from '../components/StateBadge';
import { differsFromLocalZone, formatDateTime, formatDateTimeIn, toMs } from '../i18n/format';
import { describeAlarm } from '../i18n/serverText';
import { useI18n } from '../i18n/useI18n';
import { eventTime } from './eventTime';
import { HouseholdClock } from './HouseholdClock';

/**
 * The alarm's headline: what, how bad, how long, who acknowledged. Times are the household's
 * (the resident lives by them), labelled with their offset; the workstation's follows when it differs.
 */
export function AlarmSummary({ alarm, bedLabel }: { alarm: Alarm; bedLabel: string | null }) {
  const i18n = useI18n();
  const { t, tx } = i18n;
  const zone = alarm.timeZone ?? null;
  const at = (v: Time | null) => {
    if (v === null) return '—';
    if (!zone) return formatDateTime(v);
    const there = formatDateTimeIn(v, zone);
    return differsFromLocalZone(zone, toMs(v))
      ? `${there} (${t('detail.raisedAtLocal', { time: formatDateTime(v) })})`
      : there;
  };
  const happened = eventTime(alarm);
  return (
    <section
      className={`summary-card row-${alarm.severity}`}
      data-testid="alarm-summary"
      data-alarm-id={alarm.id}
      data-state={alarm.state}
      data-severity={alarm.severity}
    >
      <div className="summary-title">
        <SeverityBadge severity={alarm.severity} />
        <h1>{tx('kind', alarm.kind)}</h1>
        <StateBadge state={alarm.state} />
        <EscalationBadge level={alarm.escalationLevel} />
        {alarm.cleared && <span className="badge cleared">{t('queue.cleared')}</span>}
        <span className="spacer" />
        {alarm.state !== 'resolved' && (
          <span className="big-age">
            <AgeTicker since={happened} />
          </span>
        )}
      </div>
      <p className="summary-message" data-testid="alarm-message">
        {describeAlarm(alarm, i18n)}
      </p>
      <dl className="facts">
        <dt>{t('detail.bed')}</dt>
        <dd>{bedLabel ?? alarm.bedLabel ?? '—'}</dd>
        {zone && (
          <>
            <dt>{t('detail.householdTime')}</dt>
            <dd>
              <HouseholdClock timeZone={zone} />
            </dd>
          </>
        )}
        {alarm.kind === 'fall' && (
          <>
            <dt>{t('detail.fallAt')}</dt>
            <dd data-testid="fall-at">{at(happened)}</dd>
          </>
        )}
        {alarm.kind === 'device_offline' && alarm.repeatCount > 0 && (
          <>
            <dt>{t('detail.offlineRepeats')}</dt>
            <dd data-testid="offline-repeats" data-count={alarm.repeatCount}>
              {t('detail.offlineRepeatsValue', { count: alarm.repeatCount })}
            </dd>
          </>
        )}
        <dt>{t('detail.raisedAt')}</dt>
        <dd data-testid="raised-at">{at(alarm.raisedAt)}</dd>
        {alarm.acknowledgedAt && (
          <>
            <dt>{t('detail.acknowledgedAt')}</dt>
            <dd data-testid="acknowledged-at">
              {at(alarm.acknowledgedAt)}
              {alarm.acknowledgedBy ? ` · ${alarm.acknowledgedByName ?? alarm.acknowledgedBy}` : ''}
            </dd>
          </>
        )}
        {alarm.resolvedAt && (
          <>
            <dt>{t('detail.resolvedAt')}</dt>
            <dd>
              {at(alarm.resolvedAt)}
              {alarm.resolvedBy ? ` · ${alarm.resolvedByName ?? alarm.resolvedBy}` : ''}
            </dd>
            <dt>{t('detail.outcome')}</dt>
            <dd data-testid="alarm-outcome">{tx('outcome', alarm.outcome)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
