import type { Kpis } from '../api/types';
import { Panel } from '../components/Panel';
import { useI18n } from '../i18n/useI18n';
import { percent } from './percent';

export function FalseAlarmTable({ data }: { data: Kpis['falseAlarmRate'] }) {
  const { t, tx } = useI18n();
  const rows = [...data].sort((a, b) => b.rate - a.rate);
  return (
    <Panel title={t('kpi.falseAlarm')} testId="kpi-false-alarm">
      {rows.length === 0 ? (
        <p className="muted">{t('kpi.noData')}</p>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th>{t('kpi.kind')}</th>
              <th className="num">{t('kpi.rate')}</th>
              <th className="num">{t('kpi.total')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.kind} data-kind={r.kind}>
                <td>{tx('kind', r.kind)}</td>
                <td className="num">{percent(r.rate)}</td>
                <td className="num">{r.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
