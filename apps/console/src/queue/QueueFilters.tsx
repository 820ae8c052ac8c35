import { SEVERITIES } from '../api/types';
import { useI18n } from '../i18n/useI18n';
import type { QueueFilter } from './filterAlarms';

/** Severity, kind and state selects and a search box over who and where. */
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
