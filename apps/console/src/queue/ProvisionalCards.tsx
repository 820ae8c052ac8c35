import type { ProvisionalAlarm } from '../api/types';
import { AgeTicker } from '../components/AgeTicker';
import { formatTime } from '../i18n/format';
import { useI18n } from '../i18n/useI18n';

/**
 * Calls for help the hub heard while its database could not store them: shown above the queue,
 * unmistakably apart from stored alarms (no actions: there is no alarm to act on yet), until the
 * stored alarm takes the card's place.
 */
export function ProvisionalCards({ calls }: { calls: ProvisionalAlarm[] }) {
  const { t } = useI18n();
  if (calls.length === 0) return null;
  return (
    <section className="provisional-calls" aria-labelledby="provisional-title" data-testid="provisional-calls">
      <h2 id="provisional-title" className="provisional-title">
        {t('provisional.title', { count: calls.length })}
      </h2>
      <ul className="provisional-list">
        {calls.map((c) => (
          <ProvisionalCard key={c.key} call={c} />
        ))}
      </ul>
    </section>
  );
}

function ProvisionalCard({ call }: { call: ProvisionalAlarm }) {
  const { t } = useI18n();
  const kind = call.eventType === 'fall.detected' ? t('kind.fall') : t('kind.sos');
  const who = call.residentName ?? call.householdName ?? t('provisional.unknownResident');
  const where = [
    call.householdName !== who ? call.householdName : null,
    call.bedLabel && t('provisional.bed', { bed: call.bedLabel }),
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <li
      className="provisional-card"
      data-testid="provisional-card"
      data-key={call.key}
      data-event-type={call.eventType}
    >
      <div className="provisional-head">
        <span className="provisional-badge">{t('provisional.badge')}</span>
        <strong className="provisional-kind">{kind}</strong>
        <span className="provisional-who" data-testid="provisional-who">
          {who}
        </span>
        {where && <span className="provisional-where">{where}</span>}
      </div>
      {call.address && <div className="provisional-address">{call.address}</div>}
      <div className="provisional-meta">
        <span>{t('provisional.heardAt', { time: formatTime(call.receivedAt) })}</span>
        <AgeTicker since={call.receivedAt} />
        <span className="provisional-device">{t('provisional.device', { device: call.deviceId })}</span>
      </div>
      <p className="provisional-note">{t('provisional.note')}</p>
    </li>
  );
}
