import { lazy, Suspense, useMemo } from 'react';
import type { Time } from '../api/types';
import { Panel } from '../components/Panel';
import { toMs } from '../i18n/format';
import { useI18n } from '../i18n/useI18n';
import { useVitals } from './useVitals';
import { vitalsOption } from './vitalsOption';

// ECharts is the heaviest dependency: load it only when a chart is shown.
const EChart = lazy(() => import('./EChart'));

export function VitalsPanel({ bedId, raisedAt }: { bedId: string; raisedAt: Time }) {
  const { t } = useI18n();
  const { loading, data } = useVitals(bedId, raisedAt);
  const option = useMemo(
    () =>
      data &&
      vitalsOption(data, toMs(raisedAt), {
        heartRate: t('vitals.heartRate'),
        respirationRate: t('vitals.respirationRate'),
        spo2: t('vitals.spo2'),
        raised: t('vitals.raised'),
      }),
    [data, raisedAt, t],
  );
  const placeholder = (text: string, testId: string) => (
    <div className="chart-placeholder" data-testid={testId}>
      {text}
    </div>
  );
  return (
    <Panel title={t('vitals.title')} testId="vitals">
      {loading ? (
        placeholder(t('vitals.loading'), 'vitals-loading')
      ) : option ? (
        <Suspense fallback={placeholder(t('vitals.loading'), 'vitals-loading')}>
          <EChart option={option} testId="vitals-chart" />
        </Suspense>
      ) : (
        placeholder(t('vitals.none'), 'vitals-none')
      )}
    </Panel>
  );
}
