import { useI18n } from '../i18n/useI18n';

/** Shown once the hub has escalated an alarm nobody acknowledged in time. */
export function EscalationBadge({ level }: { level: number }) {
  const { t } = useI18n();
  if (!level) return null;
  return (
    <span className="badge escalated" data-testid="escalation-badge" data-level={level}>
      ▲ {t('queue.escalated', { level })}
    </span>
  );
}
