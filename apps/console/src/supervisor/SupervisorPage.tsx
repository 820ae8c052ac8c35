import { useState } from 'react';
import { canSupervise, useAuth } from '../auth/useAuth';
import { ErrorMessage } from '../components/ErrorMessage';
import { useI18n } from '../i18n/useI18n';
import { FalseAlarmTable } from './FalseAlarmTable';
import { KpiCard } from './KpiCard';
import { OpenByAge } from './OpenByAge';
import { percent } from './percent';
import { KPI_RANGES, useKpis, type KpiRange } from './useKpis';

/** Telecare answer-time targets (TEC Quality standard practice): 97.5 % acknowledged within 60 s, 99 % within 180 s. */
const TARGET_60 = 0.975;
const TARGET_180 = 0.99;

export function SupervisorPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const [range, setRange] = useState<KpiRange>('24h');
  const { kpis, error, loading } = useKpis(range);
  if (!canSupervise(user?.role)) {
    return (
      <main className="page">
        <p className="error">{t('supervisor.forbidden')}</p>
      </main>
    );
  }
  const secs = (v: number | null | undefined) => (v == null ? '—' : t('kpi.seconds', { value: Math.round(v) }));
  const meets = (v: number | null | undefined, target: number) => (v == null ? null : v >= target);
  return (
    <main className="page supervisor-page" data-testid="supervisor-page">
      <div className="page-head">
        <h1>{t('supervisor.title')}</h1>
        <label className="inline">
          {t('supervisor.range')}
          <select value={range} onChange={(e) => setRange(e.target.value as KpiRange)} data-testid="kpi-range">
            {KPI_RANGES.map((r) => (
              <option key={r} value={r}>
                {t(`supervisor.range.${r}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorMessage error={error} testId="kpi-error" />
      {!kpis && loading && <p className="muted">{t('supervisor.loading')}</p>}
      {kpis && (
        <>
          <div className="kpi-row">
            <KpiCard testId="kpi-ack-p50" label={t('kpi.ackP50')} value={secs(kpis.ackSeconds.p50)} />
            <KpiCard testId="kpi-ack-p95" label={t('kpi.ackP95')} value={secs(kpis.ackSeconds.p95)} />
            <KpiCard
              testId="kpi-within-60"
              label={t('kpi.within60')}
              value={percent(kpis.ackedWithin60s)}
              sub={t('kpi.target', { target: percent(TARGET_60) })}
              good={meets(kpis.ackedWithin60s, TARGET_60)}
            />
            <KpiCard
              testId="kpi-within-180"
              label={t('kpi.within180')}
              value={percent(kpis.ackedWithin180s)}
              sub={t('kpi.target', { target: percent(TARGET_180) })}
              good={meets(kpis.ackedWithin180s, TARGET_180)}
            />
          </div>
          <div className="two-col">
            <OpenByAge data={kpis.openByAge} />
            <FalseAlarmTable data={kpis.falseAlarmRate} />
          </div>
        </>
      )}
    </main>
  );
}
