import type { Household, Resident } from '../api/types';
import { Panel } from '../components/Panel';
import { useI18n } from '../i18n/useI18n';

export function ResidentCard({ resident, household }: { resident: Resident | null; household: Household | null }) {
  const { t } = useI18n();
  if (!resident && !household) {
    return (
      <Panel title={t('resident.title')} testId="resident-card">
        <p className="muted">{t('resident.unavailable')}</p>
      </Panel>
    );
  }
  const year = resident?.birthYear ?? null;
  const conditions = resident?.conditions ?? [];
  return (
    <Panel title={t('resident.title')} testId="resident-card">
      {resident && (
        <>
          <p className="resident-name" data-testid="resident-name">
            {resident.name}
            {year && <span className="muted">{t('resident.age', { age: new Date().getFullYear() - year, year })}</span>}
          </p>
          <dl className="facts">
            <dt>{t('resident.conditions')}</dt>
            <dd>
              {conditions.length ? (
                conditions.map((c) => (
                  <span key={c} className="chip">
                    {c}
                  </span>
                ))
              ) : (
                <span className="muted">{t('resident.none')}</span>
              )}
            </dd>
            {resident.notes && (
              <>
                <dt>{t('resident.notes')}</dt>
                <dd>{resident.notes}</dd>
              </>
            )}
          </dl>
        </>
      )}
      {household && (
        <dl className="facts">
          <dt>{t('resident.household')}</dt>
          <dd>{household.name}</dd>
          <dt>{t('resident.address')}</dt>
          <dd data-testid="resident-address">{household.address}</dd>
        </dl>
      )}
    </Panel>
  );
}
