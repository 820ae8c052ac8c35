import type { Device } from '../api/types';
import { Panel } from '../components/Panel';
import { formatDateTime } from '../i18n/format';
import { useI18n } from '../i18n/useI18n';

export function DeviceList({ devices }: { devices: Device[] }) {
  const { t, tx } = useI18n();
  return (
    <Panel title={t('devices.title')} testId="devices">
      {devices.length === 0 ? (
        <p className="muted">{t('devices.none')}</p>
      ) : (
        <ul className="devices">
          {devices.map((d) => {
            const s = d.status ?? {};
            const online = s.online === undefined ? null : s.online;
            return (
              <li key={d.id} data-testid="device" data-device-id={d.id} data-online={online ?? 'unknown'}>
                <span
                  className={`dot ${online === null ? 'dot-unknown' : online ? 'dot-on' : 'dot-off'}`}
                  aria-hidden="true"
                />
                <strong>{tx('devices.kind', d.kind)}</strong>
                <span className="muted">
                  {online === null ? t('devices.unknown') : online ? t('devices.online') : t('devices.offline')}
                </span>
                <span className="device-facts">
                  {s.battery != null && (
                    <span className={s.battery < 20 ? 'warn' : ''}>
                      {t('devices.battery', { value: Math.round(s.battery) })}
                    </span>
                  )}
                  {s.rssi != null && <span>{t('devices.rssi', { value: s.rssi })}</span>}
                  {s.firmware && <span>{t('devices.firmware', { value: s.firmware })}</span>}
                  {s.lastSeenAt && <span>{t('devices.lastSeen', { value: formatDateTime(s.lastSeenAt) })}</span>}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </Panel>
  );
}
