import { useI18n } from '../i18n/useI18n';
import { useAlarmQueue } from '../queue/useAlarmQueue';

/** Live / reconnecting: operators must know when the queue might be stale. */
export function StreamIndicator() {
  const { t } = useI18n();
  const { status } = useAlarmQueue();
  return (
    <span className={`stream stream-${status}`} data-testid="stream-status" data-status={status} role="status">
      <span className="dot" aria-hidden="true" />
      {t(`stream.${status}`)}
    </span>
  );
}
