import { useEffect, useState } from 'react';
import { supervisionApi, type Region } from '../api/supervision';
import { SEVERITIES } from '../api/types';
import { useI18n } from '../i18n/useI18n';
import type { QueueFilter } from './filterAlarms';

/** The organisation's districts, by name; none (and no district select) when it has not set any up. */
function useDistricts(): Region[] {
  const [districts, setDistricts] = useState<Region[]>([]);
  useEffect(() => {
    const ctrl = new AbortController();
    supervisionApi.regions(undefined, ctrl.signal).then(
      (rs) => setDistricts(rs.filter((r) => r.kind === 'district')),
      () => undefined,
    );
    return () => ctrl.abort();
  }, []);
  return districts;
}

/** Severity, kind, state and district selects and a search box over who and where. */
export function QueueFilters({
  filter,
  kinds,
  onChange,
}: {
  filter: QueueFilter;
  kinds: readonly string[];
  onChange: (f: QueueFilter) => void;
}) {
  const { t, tx } = useI18n();
  const districts = useDistricts();
  const set = (field: keyof QueueFilter) => (e: { target: { value: string } }) =>
    onChange({ ...filter, [field]: e.target.value });
  return (
    <div className="queue-filters" role="search" data-testid="queue-filters">
      <label>
        {t('queue.filter.severity')}
        <select value={filter.severity} onChange={set('severity')} data-testid="filter-severity">
          <option value="">{t('queue.filter.all')}</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {tx('severity', s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('queue.filter.kind')}
        <select value={filter.kind} onChange={set('kind')} data-testid="filter-kind">
          <option value="">{t('queue.filter.all')}</option>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {tx('kind', k)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('queue.filter.state')}
        <select value={filter.state} onChange={set('state')} data-testid="filter-state">
          <option value="">{t('queue.filter.all')}</option>
          <option value="raised">{tx('state', 'raised')}</option>
          <option value="acknowledged">{tx('state', 'acknowledged')}</option>
        </select>
      </label>
      {(districts.length > 0 || filter.district) && (
        <label>
          {t('queue.filter.district')}
          <select value={filter.district} onChange={set('district')} data-testid="filter-district">
            <option value="">{t('queue.filter.all')}</option>
            {districts.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="grow">
        {t('queue.search')}
        <input
          type="search"
          value={filter.search}
          onChange={set('search')}
          placeholder={t('queue.search.placeholder')}
          data-testid="queue-search"
        />
      </label>
    </div>
  );
}
