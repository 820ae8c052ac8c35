import { endpoints } from '../api/endpoints';
import type { Alarm } from '../api/types';
import { useAsyncAction } from '../components/useAsyncAction';
import { useI18n } from '../i18n/useI18n';
import { useAlarmQueue } from './useAlarmQueue';

const PARALLEL = 4;

/**
 * Acknowledges the selected technical alarms, each through the ordinary per-alarm route (so
 * each is authorised, audited and streamed like a single acknowledgement), a few at a time.
 */
export function BulkAckBar({
  alarms,
  selected,
  onSelect,
}: {
  alarms: Alarm[];
  selected: ReadonlySet<string>;
  onSelect: (ids: Set<string>) => void;
}) {
  const { t } = useI18n();
  const { upsert } = useAlarmQueue();
  const open = alarms.filter((a) => a.state === 'raised');
  const chosen = open.filter((a) => selected.has(a.id));
  const { run, busy, error } = useAsyncAction(async () => {
    const queue = chosen.map((a) => a.id);
    let failed = 0;
    const worker = async () => {
      for (let id = queue.shift(); id; id = queue.shift()) {
        try {
          upsert((await endpoints.acknowledge(id)).alarm);
        } catch {
          failed += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    onSelect(new Set());
    if (failed > 0) throw new Error(t('queue.bulk.failed', { count: failed }));
  });
  const all = open.length > 0 && chosen.length === open.length;
  return (
    <div className="bulk-bar" data-testid="bulk-bar">
      <label>
        <input
          type="checkbox"
          checked={all}
          onChange={() => onSelect(all ? new Set() : new Set(open.map((a) => a.id)))}
          data-testid="bulk-select-all"
        />
        {t('queue.bulk.selectAll')}
      </label>
      <button
        type="button"
        className="btn btn-ack"
        disabled={busy || chosen.length === 0}
        onClick={() => void run()}
        data-testid="bulk-acknowledge"
      >
        {busy ? t('queue.bulk.acking') : t('queue.bulk.ack', { count: chosen.length })}
      </button>
      {error ? (
        <span className="error small" role="alert">
          {(error as Error).message}
        </span>
      ) : null}
    </div>
  );
}
