import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { supervisionApi, type StoredNight, type TimelineEntry, type Visit } from '../api/supervision';
import { ErrorMessage } from '../components/ErrorMessage';
import { Panel } from '../components/Panel';
import { formatDateTime } from '../i18n/format';
import { useI18n } from '../i18n/useI18n';
import { Link } from '../router/Link';
import { visitReason } from '../visits/visitReason';
import { wellnessOption } from './wellnessChart';
import '../visits/supervision.css';

const EChart = lazy(() => import('../alarm/EChart'));

type Alarm = Awaited<ReturnType<typeof supervisionApi.bedAlarms>>[number];

const dateOf = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** A resident's wellness trends over 30 or 90 nights with their baseline band, their visits and alarms. */
export function ResidentPage({ id }: { id: string }) {
  const { t, tx, tn } = useI18n();
  const [range, setRange] = useState<30 | 90>(30);
  const [nights, setNights] = useState<StoredNight[] | null>(null);
  const [visits, setVisits] = useState<Visit[]>([]);
  const [alarms, setAlarms] = useState<Alarm[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [timeline, setTimeline] = useState<TimelineEntry[]>([]);

  useEffect(() => {
    const ctrl = new AbortController();
    supervisionApi
      .resident(id, ctrl.signal)
      .then((r) => setName(r.name))
      .catch(() => undefined);
    return () => ctrl.abort();
  }, [id]);

  useEffect(() => {
    const ctrl = new AbortController();
    const to = new Date();
    to.setDate(to.getDate() - 1);
    const from = new Date(to);
    from.setDate(from.getDate() - (range - 1));
    Promise.all([
      supervisionApi.nights(id, dateOf(from), dateOf(to), ctrl.signal),
      supervisionApi.residentVisits(id, ctrl.signal),
    ])
      .then(async ([w, v]) => {
        setNights(w.nights);
        const since = new Date(from);
        since.setHours(0, 0, 0, 0);
        supervisionApi
          .timeline(id, since.toISOString(), ctrl.signal)
          .then((tl) => setTimeline(tl.entries))
          .catch(() => setTimeline([]));
        setVisits(v);
        const beds = [...new Set(w.nights.map((n) => n.bedId))];
        const lists = await Promise.all(beds.map((b) => supervisionApi.bedAlarms(b, ctrl.signal)));
        setAlarms(lists.flat().sort((a, b) => b.raisedAt.localeCompare(a.raisedAt)));
        setError(null);
      })
      .catch((err: unknown) => (err as Error).name !== 'AbortError' && setError(err));
    return () => ctrl.abort();
  }, [id, range]);

  const charts = useMemo(() => {
    const labels = { value: t('residentPage.value'), baseline: t('residentPage.baseline') };
    return nights
      ? [
          {
            key: 'timeInBed',
            title: t('residentPage.chart.timeInBed'),
            option: wellnessOption(nights, 'timeInBedMs', labels, 3_600_000),
          },
          {
            key: 'bedExits',
            title: t('residentPage.chart.bedExits'),
            option: wellnessOption(nights, 'bedExits', labels),
          },
          {
            key: 'heartRate',
            title: t('residentPage.chart.heartRate'),
            option: wellnessOption(nights, 'restingHeartRate', labels),
          },
          {
            key: 'respiration',
            title: t('residentPage.chart.respiration'),
            option: wellnessOption(nights, 'restingRespirationRate', labels),
          },
        ]
      : [];
  }, [nights, t]);

  return (
    <main className="page resident-page" data-testid="resident-page">
      <div className="page-head">
        <h1>{t('residentPage.title', { name })}</h1>
        <label className="inline">
          {t('residentPage.range')}
          <select
            value={range}
            onChange={(e) => setRange(Number(e.target.value) as 30 | 90)}
            data-testid="resident-range"
          >
            <option value={30}>{t('residentPage.range.30')}</option>
            <option value={90}>{t('residentPage.range.90')}</option>
          </select>
        </label>
      </div>
      <ErrorMessage error={error} testId="resident-error" />
      {!nights && !error && <p className="muted">{t('residentPage.loading')}</p>}
      {nights && nights.length === 0 && <p className="muted">{t('residentPage.noNights')}</p>}
      {nights && nights.length > 0 && (
        <div
          className="chart-grid"
          data-testid="resident-charts"
          data-nights={nights.length}
          data-baseline-nights={nights.filter((n) => n.baseline.ready).length}
          data-flagged-nights={nights.filter((n) => n.deviations.length > 0).length}
        >
          {charts.map((c) => (
            <Panel key={c.key} title={c.title} testId={`chart-${c.key}`}>
              <Suspense fallback={<div style={{ height: 220 }} />}>
                <EChart option={c.option} height={220} />
              </Suspense>
            </Panel>
          ))}
        </div>
      )}
      <div className="two-col">
        <Panel title={t('residentPage.visits')} testId="resident-visits">
          {visits.length === 0 ? (
            <p className="muted">{t('residentPage.noVisits')}</p>
          ) : (
            <table className="grid">
              <tbody>
                {visits.map((v) => (
                  <tr key={v.id} data-state={v.state}>
                    <td>{formatDateTime(v.checkedInAt ?? v.dueAt)}</td>
                    <td>{tx('visits.source', v.source)}</td>
                    <td>
                      {tx('visits.state', v.state)}
                      {v.overdue && <span className="badge sev sev-critical">{t('visits.overdue')}</span>}
                    </td>
                    <td>{v.outcome ? tx('visits.outcome', v.outcome) : visitReason(v, tn)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
        <Panel title={t('residentPage.alarms')} testId="resident-alarms">
          {alarms.length === 0 ? (
            <p className="muted">{t('residentPage.noAlarms')}</p>
          ) : (
            <table className="grid">
              <tbody>
                {alarms.map((a) => (
                  <tr key={a.id}>
                    <td>{formatDateTime(a.raisedAt)}</td>
                    <td>
                      <Link href={`/alarms/${a.id}`}>{tx('kind', a.kind)}</Link>
                    </td>
                    <td>{tx('outcome', a.outcome)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
      </div>
      <Panel title={t('residentPage.timeline')} testId="resident-timeline">
        {timeline.length === 0 ? (
          <p className="muted">{t('residentPage.noTimeline')}</p>
        ) : (
          <table className="grid">
            <tbody>
              {timeline.map((e, i) => (
                <tr key={i} data-type={e.type}>
                  <td>{formatDateTime(e.at)}</td>
                  <td>{t(`residentPage.timeline.${e.type}`)}</td>
                  <td>
                    {e.type === 'alarm'
                      ? `${tx('kind', e.kind)} · ${e.outcome ? tx('outcome', e.outcome) : tx('state', e.state)}`
                      : e.type === 'visit'
                        ? `${tx('visits.source', e.source)} · ${tx('visitAction', e.action)}${e.note ? ` · ${visitReason({ source: e.source, reason: e.note }, tn)}` : ''}`
                        : `${e.night} · ${e.codes.map((c) => tx('deviationCode', c)).join('、')}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </main>
  );
}
