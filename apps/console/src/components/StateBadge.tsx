import type { AlarmState } from '../api/types';
import { useI18n } from '../i18n/useI18n';

export function StateBadge({ state }: { state: AlarmState }) {
  const { tx } = useI18n();
  return (
    <span className={`badge state state-${state}`} data-testid="state-badge" data-state={state}>
      {tx('state', state)}
    </span>
  );
}
