import type { MouseEvent } from 'react';
import { endpoints } from '../api/endpoints';
import type { Alarm } from '../api/types';
import { useAsyncAction } from '../components/useAsyncAction';
import { useI18n } from '../i18n/useI18n';
import { useAlarmQueue } from './useAlarmQueue';

/** Acknowledge straight from the queue, without opening the alarm. */
export function QuickAckButton({ alarm }: { alarm: Alarm }) {
  const { t } = useI18n();
  const { upsert } = useAlarmQueue();
  const { run, busy, error } = useAsyncAction(async () => {
    upsert((await endpoints.acknowledge(alarm.id)).alarm);
  });
  const click = (e: MouseEvent) => {
    e.stopPropagation();
    void run();
  };
  return (
    <span className="quick-ack">
      <button type="button" className="btn btn-ack" data-testid="row-acknowledge" disabled={busy} onClick={click}>
        {busy ? t('detail.acknowledging') : t('detail.acknowledge')}
      </button>
      {error ? (
        <span className="error small" role="alert" title={(error as Error).message}>
          !
        </span>
      ) : null}
    </span>
  );
}
