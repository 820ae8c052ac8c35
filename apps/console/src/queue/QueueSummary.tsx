import type { Alarm } from '../api/types';
import { useI18n } from '../i18n/useI18n';

/** "12 open · 2 critical" next to the page title. */
export function QueueSummary({ alarms }: { alarms: Alarm[] }) {
  const { t } = useI18n();
  const critical = alarms.filter((a) => a.severity === 'critical').length;
  return (
    <p className="summary" data-testid="queue-summary">
      <span>{t('queue.count', { count: alarms.length })}</span>
      {critical > 0 && <span className="badge sev sev-critical">{t('queue.critical', { count: critical })}</span>}
    </p>
  );
}
