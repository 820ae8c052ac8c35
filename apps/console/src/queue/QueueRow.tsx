import type { KeyboardEvent } from 'react';
import type { Alarm } from '../api/types';
import { AgeTicker } from '../components/AgeTicker';
import { EscalationBadge } from '../components/EscalationBadge';
import { SeverityBadge } from '../components/SeverityBadge';
import { StateBadge } from '../components/StateBadge';
import { useI18n } from '../i18n/useI18n';
import { navigate } from '../router/router';
import { useBedLabel } from './bedLabels';
import { QuickAckButton } from './QuickAckButton';
import { useConfirmDisplayed } from './useConfirmDisplayed';

export function QueueRow({ alarm }: { alarm: Alarm }) {
  const { t, tx } = useI18n();
  const bedLabel = useBedLabel(alarm.bedId, alarm.bedLabel);
  useConfirmDisplayed(alarm.id);
  const open = () => navigate(`/alarms/${encodeURIComponent(alarm.id)}`);
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      open();
    }
  };
  const unacked = alarm.state === 'raised';
  return (
    <tr
      className={`queue-row row-${alarm.severity} ${unacked ? 'unacked' : ''}`}
      data-testid="queue-row"
      data-alarm-id={alarm.id}
      data-severity={alarm.severity}
      data-state={alarm.state}
      data-escalation={alarm.escalationLevel}
      tabIndex={0}
      onClick={open}
      onKeyDown={onKey}
    >
      <td className="col-sev">
        <SeverityBadge severity={alarm.severity} />
      </td>
      <td className="col-kind">
        <strong data-testid="alarm-kind">{tx('kind', alarm.kind)}</strong>
        {alarm.repeatCount > 0 && <span className="muted small"> · {t('queue.repeat', { count: alarm.repeatCount + 1 })}</span>}
        <EscalationBadge level={alarm.escalationLevel} />
      </td>
      <td className="col-bed">{bedLabel ?? alarm.bedId.slice(0, 8)}{alarm.residentName ? ` · ${alarm.residentName}` : ''}</td>
      <td className="col-msg">
        {alarm.message ?? ''}
        {alarm.cleared && <span className="badge cleared">{t('queue.cleared')}</span>}
      </td>
      <td className="col-age">
        <AgeTicker since={alarm.raisedAt} />
      </td>
      <td className="col-state">
        {unacked ? <QuickAckButton alarm={alarm} /> : <StateBadge state={alarm.state} />}
      </td>
    </tr>
  );
}
