import type { KeyboardEvent } from 'react';
import { AgeTicker } from '../components/AgeTicker';
import { EscalationBadge } from '../components/EscalationBadge';
import { SeverityBadge } from '../components/SeverityBadge';
import { StateBadge } from '../components/StateBadge';
import { describeAlarm } from '../i18n/serverText';
import { useI18n } from '../i18n/useI18n';
import { navigate } from '../router/router';
import { eventTime } from '../alarm/eventTime';
import type { QueueEntry } from './groupByIncident';
import { QuickAckButton } from './QuickAckButton';
import { isHeld } from './sortAlarms';
import { formatHourMinute } from '../i18n/format';
import { useConfirmDisplayed } from './useConfirmDisplayed';

interface Props {
  entry: QueueEntry;
  /** Technical queue: a checkbox for bulk acknowledgement. */
  selectable?: { selected: boolean; toggle(id: string): void };
}

export function QueueRow({ entry, selectable }: Props) {
  const i18n = useI18n();
  const { t, tx } = i18n;
  const { alarm, incidentSize, incidentLead } = entry;
  useConfirmDisplayed(alarm.id);
  const open = () => navigate(`/alarms/${encodeURIComponent(alarm.id)}`);
  const onKey = (e: KeyboardEvent) => {
    if (e.target !== e.currentTarget) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      open();
    }
  };
  const unacked = alarm.state === 'raised';
  const grouped = incidentSize > 1;
  const handler = alarm.acknowledgedByName ?? alarm.acknowledgedBy;
  const held = isHeld(alarm);
  return (
    <tr
      className={`queue-row row-${alarm.severity} ${unacked ? 'unacked' : ''} ${held ? 'held' : ''} ${grouped ? (incidentLead ? 'incident-lead' : 'incident-member') : ''}`}
      data-testid="queue-row"
      data-alarm-id={alarm.id}
      data-incident-id={alarm.incidentId ?? alarm.id}
      data-severity={alarm.severity}
      data-state={alarm.state}
      data-kind={alarm.kind}
      data-escalation={alarm.escalationLevel}
      data-held={held ? 'true' : 'false'}
      tabIndex={0}
      onClick={open}
      onKeyDown={onKey}
    >
      {selectable && (
        <td className="col-select" onClick={(e) => e.stopPropagation()}>
          <input
            type="checkbox"
            aria-label={t('queue.select')}
            checked={selectable.selected}
            onChange={() => selectable.toggle(alarm.id)}
            data-testid="row-select"
          />
        </td>
      )}
      <td className="col-sev">
        <SeverityBadge severity={alarm.severity} />
      </td>
      <td className="col-kind">
        <strong data-testid="alarm-kind">{tx('kind', alarm.kind)}</strong>
        {alarm.repeatCount > 0 && (
          <span className="muted small"> · {t('queue.repeat', { count: alarm.repeatCount + 1 })}</span>
        )}
        <EscalationBadge level={alarm.escalationLevel} />
        {held && (
          <span className="badge held-badge" data-testid="held-badge" title={alarm.holdReason ?? undefined}>
            {t('hold.badge', { time: formatHourMinute(alarm.heldUntil) })}
          </span>
        )}
        {grouped && incidentLead && (
          <span className="incident-tag small" data-testid="incident-tag">
            {t('queue.incident', { count: incidentSize })}
          </span>
        )}
      </td>
      <td className="col-who" data-testid="row-resident">
        <strong>{alarm.residentName ?? t('queue.unknownResident')}</strong>
        <span className="muted small block">{[alarm.householdName, alarm.bedLabel].filter(Boolean).join(' · ')}</span>
      </td>
      <td className="col-addr" data-testid="row-address">
        {alarm.address ?? '—'}
      </td>
      <td className="col-msg" data-testid="row-message">
        {describeAlarm(alarm, i18n)}
        {alarm.cleared && <span className="badge cleared">{t('queue.cleared')}</span>}
      </td>
      <td className="col-age">
        <AgeTicker since={eventTime(alarm)} />
      </td>
      <td className="col-state">
        {unacked ? (
          <QuickAckButton alarm={alarm} />
        ) : (
          <>
            <StateBadge state={alarm.state} />
            {handler && (
              <span className="small block" data-testid="row-handler">
                {t('queue.handledBy', { name: handler })}
              </span>
            )}
          </>
        )}
      </td>
    </tr>
  );
}
