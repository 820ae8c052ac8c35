import { useMemo, useState } from 'react';
import { OverdueCount, OverdueDispatchList } from '../dispatch/OverdueDispatches';
import { useOverdueDispatches } from '../dispatch/useOverdueDispatches';
import { useI18n } from '../i18n/useI18n';
import { BulkAckBar } from './BulkAckBar';
import { filterAlarms, NO_FILTER, type QueueFilter } from './filterAlarms';
import { groupByIncident } from './groupByIncident';
import { ProvisionalCards } from './ProvisionalCards';
import { QueueFilters } from './QueueFilters';
import { QueueRow } from './QueueRow';
import { QueueSummary } from './QueueSummary';
import { QueueTabs, type QueueTab } from './QueueTabs';
import { isTechnical } from './technical';
import { useAlarmQueue } from './useAlarmQueue';
import { useDistrictFilter } from './useDistrictFilter';

export function QueuePage() {
  const { t } = useI18n();
  const { alarms, provisional, loading, error } = useAlarmQueue();
  const overdue = useOverdueDispatches();
  const [tab, setTab] = useState<QueueTab>('alarms');
  const [filter, setFilter] = useState<QueueFilter>(NO_FILTER);
  const [selected, setSelected] = useState<Set<string>>(new Set());

  const technical = useMemo(() => alarms.filter(isTechnical), [alarms]);
  const people = useMemo(() => alarms.filter((a) => !isTechnical(a)), [alarms]);
  const inTab = tab === 'alarms' ? people : technical;
  const kinds = useMemo(() => [...new Set(inTab.map((a) => a.kind))].sort(), [inTab]);
  const district = useDistrictFilter(inTab, filter.district);
  const shown = useMemo(() => filterAlarms(district.shown, filter), [district.shown, filter]);
  const entries = useMemo(() => groupByIncident(shown), [shown]);
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <main className="page queue-page" data-testid="queue-page" data-tab={tab}>
      <div className="page-head">
        <h1>{t('queue.title')}</h1>
        <QueueSummary alarms={people} />
        <OverdueCount dispatches={overdue.dispatches} />
        <QueueTabs
          tab={tab}
          counts={{ alarms: people.length, technical: technical.length }}
          onChange={(next) => {
            setTab(next);
            setFilter(NO_FILTER);
          }}
        />
      </div>
      <ProvisionalCards calls={provisional} />
      {error && (
        <p className="error" role="alert" data-testid="queue-error">
          {t('queue.loadError', { message: error })}
        </p>
      )}
      <OverdueDispatchList dispatches={overdue.dispatches} error={overdue.error} />
      <QueueFilters filter={filter} kinds={kinds} onChange={setFilter} />
      {shown.length !== inTab.length && (
        <p className="muted small" data-testid="queue-shown">
          {t('queue.shown', { shown: shown.length, total: inTab.length })}
        </p>
      )}
      {tab === 'technical' && <BulkAckBar alarms={shown} selected={selected} onSelect={setSelected} />}
      <table className="queue" data-testid="queue">
        <thead>
          <tr>
            {tab === 'technical' && (
              <th className="col-select">
                <span className="sr-only">{t('queue.select')}</span>
              </th>
            )}
            <th className="col-sev">{t('queue.col.severity')}</th>
            <th className="col-kind">{t('queue.col.kind')}</th>
            <th className="col-who">{t('queue.col.resident')}</th>
            <th className="col-addr">{t('queue.col.address')}</th>
            <th className="col-msg">{t('queue.col.message')}</th>
            <th className="col-age">{t('queue.col.age')}</th>
            <th className="col-state">{t('queue.col.state')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <QueueRow
              key={e.alarm.id}
              entry={e}
              selectable={tab === 'technical' ? { selected: selected.has(e.alarm.id), toggle } : undefined}
            />
          ))}
        </tbody>
      </table>
      {shown.length === 0 && (
        <p className="empty" data-testid="queue-empty">
          {loading || district.pending ? t('queue.loading') : inTab.length > 0 ? t('queue.noMatch') : t('queue.empty')}
        </p>
      )}
    </main>
  );
}
