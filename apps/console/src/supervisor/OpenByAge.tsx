import type { AgeBucket, Kpis } from '../api/types';
import { Panel } from '../components/Panel';
import { useI18n } from '../i18n/useI18n';

const BUCKETS: AgeBucket[] = ['<1m', '1-5m', '5-15m', '>15m'];

/** Horizontal bars: how many alarms are open, by how long they have been open. */
export function OpenByAge({ data }: { data: Kpis['openByAge'] }) {
  const { t, tx } = useI18n();
  const counts = new Map(data.map((d) => [d.bucket, d.count]));
  const max = Math.max(1, ...data.map((d) => d.count));
  return (
    <Panel title={t('kpi.openByAge')} testId="kpi-open-by-age">
      <ul className="bars">
        {BUCKETS.map((b, i) => {
          const n = counts.get(b) ?? 0;
          return (
            <li key={b} data-bucket={b}>
              <span className="bar-label">{tx('ageBucket', b)}</span>
              <span className="bar-track">
                <span className={`bar-fill bar-${i}`} style={{ width: `${(n / max) * 100}%` }} />
              </span>
              <span className="bar-value">{n}</span>
            </li>
          );
        })}
      </ul>
    </Panel>
  );
}
