import { useI18n } from '../i18n/useI18n';

export type QueueTab = 'alarms' | 'technical';

/** People first; device health in its own tab so it never buries a call. */
export function QueueTabs({
  tab,
  counts,
  onChange,
}: {
  tab: QueueTab;
  counts: Record<QueueTab, number>;
  onChange: (t: QueueTab) => void;
}) {
  const { t } = useI18n();
  return (
    <div className="tabs" role="tablist">
      {(['alarms', 'technical'] as const).map((name) => (
        <button
          key={name}
          type="button"
          role="tab"
          aria-selected={tab === name}
          className={`tab ${tab === name ? 'active' : ''}`}
          data-testid={`tab-${name}`}
          data-count={counts[name]}
          onClick={() => onChange(name)}
        >
          {t(`queue.tab.${name}`)} <span className="tab-count">{counts[name]}</span>
        </button>
      ))}
    </div>
  );
}
