import { useEffect, useState } from 'react';
import { endpoints } from '../api/endpoints';
import type { Wallboard } from '../api/types';
import { canSupervise, useAuth } from '../auth/useAuth';
import { ErrorMessage } from '../components/ErrorMessage';
import { Panel } from '../components/Panel';
import { formatTime } from '../i18n/format';
import { useI18n } from '../i18n/useI18n';
import type { AlarmEvent } from '../api/types';
import { useAlarmQueue } from '../queue/useAlarmQueue';
import { useStreamRefresh } from '../queue/useStreamRefresh';
import { KpiCard } from '../supervisor/KpiCard';
import { percent } from '../supervisor/percent';

const REFRESH_MS = 10_000;
/** Re-reads at most this often when several stream events come together. */
const DEBOUNCE_MS = 500;

const workOrderChanged = (e: AlarmEvent) => e.type === 'alarm.dispatch_overdue' || e.type === 'alarm.updated';

/**
 * The supervisor's wall: queue health and late work orders now, who handles what and how fast,
 * escalations, and daily trends. Answer-time shares count only alarms a person had to handle; auto-resolved device
 * alarms are shown beside them, never in the denominator.
 */
export function WallboardPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const { alarms } = useAlarmQueue();
  const [board, setBoard] = useState<Wallboard | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Refresh on a timer and whenever the live queue changes.
  const queueKey = alarms.map((a) => `${a.id}:${a.state}:${a.escalationLevel}:${String(a.heldUntil ?? '')}`).join(',');
  // A work order flagged late, or one moving on (an alarm.updated on its alarm), changes the
  // overdue figure without changing any alarm's state.
  const version = useStreamRefresh(workOrderChanged, DEBOUNCE_MS);
  useEffect(() => {
    const ctrl = new AbortController();
    const load = () =>
      endpoints.wallboard(ctrl.signal).then(
        (b) => {
          setBoard(b);
          setError(null);
        },
        (err: unknown) => !ctrl.signal.aborted && setError(err),
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      ctrl.abort();
      clearInterval(timer);
    };
  }, [queueKey, version]);

  if (!canSupervise(user?.role)) {
    return (
      <main className="page">
        <p className="error">{t('supervisor.forbidden')}</p>
      </main>
    );
  }
  const secs = (v: number | null | undefined) => (v == null ? '—' : t('kpi.seconds', { value: Math.round(v) }));
  return (
    <main className="page wallboard-page" data-testid="wallboard-page">
      <div className="page-head">
        <h1>{t('wallboard.title')}</h1>
        {board && <span className="muted small">{t('wallboard.updated', { time: formatTime(board.at) })}</span>}
      </div>
      <ErrorMessage error={error} />
      {board && (
        <>
          <div className="kpi-row" data-testid="wallboard-queue">
            <KpiCard testId="wb-open" label={t('wallboard.open')} value={String(board.queue.open)} />
            <KpiCard
              testId="wb-unacked"
              label={t('wallboard.unacknowledged')}
              value={String(board.queue.unacknowledged)}
              good={board.queue.unacknowledged === 0}
            />
            <KpiCard testId="wb-held" label={t('wallboard.held')} value={String(board.queue.held)} />
            <KpiCard
              testId="wb-escalated"
              label={t('wallboard.escalated')}
              value={String(board.escalations.openEscalated)}
              sub={t('wallboard.escalationsInWindow', { count: board.escalations.inWindow })}
              good={board.escalations.openEscalated === 0}
            />
            <KpiCard
              testId="wb-overdue-orders"
              label={t('wallboard.overdueOrders')}
              value={String(board.dispatches.overdue)}
              sub={t('wallboard.openOrders', { count: board.dispatches.open })}
              good={board.dispatches.overdue === 0}
            />
            <KpiCard
              testId="wb-oldest"
              label={t('wallboard.oldest')}
              value={secs(board.queue.oldestUnacknowledgedSeconds)}
            />
          </div>
          <div className="kpi-row" data-testid="wallboard-totals">
            <KpiCard testId="wb-raised" label={t('wallboard.raised')} value={String(board.totals.raised)} />
            <KpiCard testId="wb-human" label={t('wallboard.humanHandled')} value={String(board.totals.humanHandled)} />
            <KpiCard testId="wb-auto" label={t('wallboard.autoResolved')} value={String(board.totals.autoResolved)} />
            <KpiCard
              testId="wb-within60"
              label={t('wallboard.within60OfHuman')}
              value={percent(board.totals.ackedWithin60sOfHuman)}
              sub={t('wallboard.denominator', { count: board.totals.humanHandled })}
            />
          </div>
          <div className="wallboard-grid">
            <Panel title={t('wallboard.operators')} testId="wallboard-operators">
              {board.operators.length === 0 ? (
                <p className="muted">{t('wallboard.noOperators')}</p>
              ) : (
                <table className="kpi-table">
                  <thead>
                    <tr>
                      <th>{t('wallboard.operator')}</th>
                      <th>{t('wallboard.handlingNow')}</th>
                      <th>{t('wallboard.acknowledged')}</th>
                      <th>{t('wallboard.resolved')}</th>
                      <th>{t('wallboard.calls')}</th>
                      <th>{t('wallboard.answerP50')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {board.operators.map((o) => (
                      <tr key={o.username} data-testid="wallboard-operator" data-username={o.username}>
                        <td>{o.displayName ?? o.username}</td>
                        <td data-testid="wb-op-handling">{o.handlingNow}</td>
                        <td>{o.acknowledged}</td>
                        <td>{o.resolved}</td>
                        <td data-testid="wb-op-calls">{o.calls}</td>
                        <td>{secs(o.answerSecondsP50)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Panel>
            <Panel title={t('wallboard.trends')} testId="wallboard-trends">
              <table className="kpi-table">
                <thead>
                  <tr>
                    <th>{t('wallboard.day')}</th>
                    <th>{t('wallboard.raised')}</th>
                    <th>{t('wallboard.humanHandled')}</th>
                    <th>{t('wallboard.autoResolved')}</th>
                    <th>{t('wallboard.within60OfHuman')}</th>
                    <th>{t('wallboard.answerP50')}</th>
                    <th>{t('wallboard.falseAlarms')}</th>
                  </tr>
                </thead>
                <tbody>
                  {board.trends.map((d) => (
                    <tr key={d.day} data-testid="wallboard-day">
                      <td>{d.day}</td>
                      <td>{d.raised}</td>
                      <td>{d.humanHandled}</td>
                      <td>{d.autoResolved}</td>
                      <td>{percent(d.ackedWithin60sOfHuman)}</td>
                      <td>{secs(d.answerSecondsP50)}</td>
                      <td>{d.falseAlarms}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Panel>
          </div>
        </>
      )}
    </main>
  );
}
