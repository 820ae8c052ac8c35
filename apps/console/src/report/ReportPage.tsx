import { useEffect, useState } from 'react';
import { downloadReport, supervisionApi, type Region, type SupervisionReport } from '../api/supervision';
import { canSupervise, useAuth } from '../auth/useAuth';
import { ErrorMessage } from '../components/ErrorMessage';
import { Panel } from '../components/Panel';
import { formatMonth } from '../i18n/format';
import { useI18n } from '../i18n/useI18n';
import { KpiCard } from '../supervisor/KpiCard';
import { percent } from '../supervisor/percent';
import '../visits/supervision.css';

const monthOf = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;

/** This month and the ones before it, newest first: reports are of months that have begun. */
const recentMonths = (count: number) =>
  Array.from({ length: count }, (_, i) => {
    const d = new Date();
    d.setDate(1);
    d.setMonth(d.getMonth() - i);
    return monthOf(d);
  });

/** The monthly supervision report of the organisation or one district/street, with CSV and Excel downloads. */
export function ReportPage() {
  const { t, tx } = useI18n();
  const { user } = useAuth();
  const [months] = useState(() => recentMonths(36));
  const [month, setMonth] = useState(() => months[1]);
  const [organisationId, setOrganisationId] = useState(user?.organisationId ?? '');
  const [organisations, setOrganisations] = useState<{ id: string; name: string }[]>([]);
  const [regions, setRegions] = useState<Region[]>([]);
  const [regionId, setRegionId] = useState('');
  const [report, setReport] = useState<SupervisionReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (user?.organisationId) return;
    const ctrl = new AbortController();
    supervisionApi
      .organisations(ctrl.signal)
      .then((orgs) => {
        setOrganisations(orgs);
        setOrganisationId((current) => current || orgs[0]?.id || '');
      })
      .catch((err: unknown) => (err as Error).name !== 'AbortError' && setError(err));
    return () => ctrl.abort();
  }, [user?.organisationId]);

  useEffect(() => {
    if (!organisationId) return;
    const ctrl = new AbortController();
    supervisionApi
      .regions(organisationId, ctrl.signal)
      .then(setRegions)
      .catch(() => setRegions([]));
    return () => ctrl.abort();
  }, [organisationId]);

  useEffect(() => {
    if (!organisationId || !/^\d{4}-\d{2}$/.test(month)) return;
    const ctrl = new AbortController();
    setLoading(true);
    supervisionApi
      .report(organisationId, month, regionId || undefined, ctrl.signal)
      .then((r) => {
        setReport(r);
        setError(null);
      })
      .catch((err: unknown) => (err as Error).name !== 'AbortError' && setError(err))
      .finally(() => setLoading(false));
    return () => ctrl.abort();
  }, [organisationId, month, regionId]);

  if (!canSupervise(user?.role))
    return (
      <main className="page">
        <p className="error">{t('supervisor.forbidden')}</p>
      </main>
    );
  const download = (format: 'csv' | 'xlsx') =>
    downloadReport(organisationId, month, regionId || undefined, format).catch(setError);
  const secs = (v: number | null) => (v == null ? '—' : t('kpi.seconds', { value: Math.round(v) }));
  // Bed-days to one decimal: a bed that joined mid-month counts the part of a day it served.
  const bedDays = (v: number) => (Math.round(v * 10) / 10).toFixed(1);
  return (
    <main className="page report-page" data-testid="report-page">
      <div className="page-head">
        <h1>{t('report.title')}</h1>
        {!user?.organisationId && (
          <label className="inline">
            {t('report.organisation')}
            <select
              value={organisationId}
              onChange={(e) => {
                setOrganisationId(e.target.value);
                setRegionId('');
              }}
              data-testid="report-organisation"
            >
              {organisations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="inline">
          {t('report.month')}
          {/* A list named in the UI language: a native month input follows the browser's own locale. */}
          <select value={month} onChange={(e) => setMonth(e.target.value)} data-testid="report-month">
            {months.map((m) => (
              <option key={m} value={m}>
                {formatMonth(m)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          {t('report.region')}
          <select value={regionId} onChange={(e) => setRegionId(e.target.value)} data-testid="report-region">
            <option value="">{t('report.allRegions')}</option>
            {regions.flatMap((d) => [
              <option key={d.id} value={d.id}>
                {d.name}
              </option>,
              ...d.streets.map((s) => (
                <option key={s.id} value={s.id}>
                  {`${d.name} / ${s.name}`}
                </option>
              )),
            ])}
          </select>
        </label>
        <span className="report-actions">
          <button type="button" onClick={() => void download('csv')} disabled={!report} data-testid="report-csv">
            {t('report.download.csv')}
          </button>
          <button type="button" onClick={() => void download('xlsx')} disabled={!report} data-testid="report-xlsx">
            {t('report.download.xlsx')}
          </button>
        </span>
      </div>
      {!organisationId && <p className="muted">{t('report.needOrganisation')}</p>}
      <ErrorMessage error={error} testId="report-error" />
      {loading && !report && <p className="muted">{t('report.loading')}</p>}
      {report && (
        <>
          <div className="kpi-row">
            <KpiCard
              testId="report-beds"
              label={t('report.beds')}
              value={String(report.bedsInService)}
              sub={t('report.devices', { count: report.devicesInService })}
            />
            <KpiCard
              testId="report-bed-days"
              label={t('report.bedDays')}
              value={bedDays(report.bedDaysInService)}
              sub={t('report.bedsAtEnd', { count: report.bedsInServiceAtEnd })}
            />
            <KpiCard testId="report-online" label={t('report.online')} value={percent(report.onlineRate)} />
            <KpiCard
              testId="report-alarms"
              label={t('report.alarms')}
              value={String(report.alarms.total)}
              sub={`${t('report.answerP50')} ${secs(report.answer.p50Seconds)}`}
            />
            <KpiCard testId="report-within60" label={t('report.within60')} value={percent(report.answer.within60s)} />
            <KpiCard
              testId="report-dispatches"
              label={t('report.dispatches')}
              value={String(report.dispatches.total)}
              sub={t('report.dispatchesClosed', {
                count: report.dispatches.closed,
                overdue: report.dispatches.overdue,
              })}
            />
            <KpiCard
              testId="report-visits-done"
              label={t('report.visitsDone')}
              value={String(report.visits.done)}
              sub={t('report.visitsDue', { count: report.visits.dueInMonth })}
            />
            <KpiCard
              testId="report-visits-overdue"
              label={t('report.visitsOverdue')}
              value={String(report.visits.overdue)}
              good={report.visits.overdue === 0}
            />
          </div>
          <div className="two-col">
            <Panel title={t('report.byDistrict')} testId="report-districts">
              {report.districts.length === 0 ? (
                <p className="muted">{t('report.noData')}</p>
              ) : (
                <table className="grid">
                  <thead>
                    <tr>
                      <th>{t('report.col.district')}</th>
                      <th className="num">{t('report.beds')}</th>
                      <th className="num">{t('report.bedDays')}</th>
                      <th className="num">{t('report.col.rate')}</th>
                      <th className="num">{t('report.alarms')}</th>
                      <th className="num">{t('report.visitsDone')}</th>
                      <th className="num">{t('report.visitsOverdue')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.districts.map((d) => (
                      <tr key={d.districtId ?? 'none'}>
                        <td>{d.name ?? t('report.unassigned')}</td>
                        <td className="num">{d.bedsInService}</td>
                        <td className="num">{bedDays(d.bedDaysInService)}</td>
                        <td className="num">{percent(d.onlineRate)}</td>
                        <td className="num">{d.alarms}</td>
                        <td className="num">{d.visitsDone}</td>
                        <td className="num">{d.visitsOverdue}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Panel>
            <Panel title={t('report.byKind')} testId="report-kinds">
              {report.alarms.byKind.length === 0 ? (
                <p className="muted">{t('report.noData')}</p>
              ) : (
                <table className="grid">
                  <thead>
                    <tr>
                      <th>{t('report.col.kind')}</th>
                      <th className="num">{t('report.col.total')}</th>
                      <th>{t('report.col.outcomes')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.alarms.byKind.map((k) => (
                      <tr key={k.kind}>
                        <td>{tx('kind', k.kind)}</td>
                        <td className="num">{k.total}</td>
                        <td>
                          {Object.entries(k.byOutcome)
                            .map(([o, n]) => `${o === 'open' ? t('report.open') : tx('outcome', o)} ${n}`)
                            .join('，')}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Panel>
          </div>
          <Panel title={t('report.byBed')} testId="report-beds-table">
            <table className="grid">
              <thead>
                <tr>
                  <th>{t('report.col.bed')}</th>
                  <th className="num">{t('report.col.nights')}</th>
                  <th className="num">{t('report.col.rate')}</th>
                </tr>
              </thead>
              <tbody>
                {report.onlineByBed.map((b) => (
                  <tr key={b.bedId}>
                    <td>{b.label}</td>
                    <td className="num">{b.nightsSummarised}</td>
                    <td className="num">{percent(b.onlineRate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Panel>
        </>
      )}
    </main>
  );
}
