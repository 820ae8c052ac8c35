import type { Severity } from '../api/types';
import { useI18n } from '../i18n/useI18n';

export function SeverityBadge({ severity }: { severity: Severity }) {
  const { tx } = useI18n();
  return (
    <span className={`badge sev sev-${severity}`} data-testid="severity-badge" data-severity={severity}>
      {tx('severity', severity)}
    </span>
  );
}
