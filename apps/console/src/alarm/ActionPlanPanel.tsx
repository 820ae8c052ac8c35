import type { ActionPlan } from '../api/types';
import { Panel } from '../components/Panel';
import { useI18n } from '../i18n/useI18n';

/** The organisation's call script for this kind of alarm, step by step. */
export function ActionPlanPanel({ plan }: { plan: ActionPlan | null | undefined }) {
  const { t } = useI18n();
  return (
    <Panel title={t('plan.title')} testId="action-plan">
      {!plan || plan.steps.length === 0 ? (
        <p className="muted">{t('plan.none')}</p>
      ) : (
        <ol className="plan-steps">
          {plan.steps.map((s, i) => (
            <li key={i} data-testid="plan-step">
              {s}
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}
