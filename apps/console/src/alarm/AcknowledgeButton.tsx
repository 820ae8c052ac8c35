import { useCallback } from 'react';
import { endpoints } from '../api/endpoints';
import type { Alarm, AlarmDetail } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { useAsyncAction } from '../components/useAsyncAction';
import { useI18n } from '../i18n/useI18n';

export function AcknowledgeButton({ alarm, onDone }: { alarm: Alarm; onDone: (res: AlarmDetail) => void }) {
  const { t } = useI18n();
  const ack = useCallback(async () => onDone(await endpoints.acknowledge(alarm.id)), [alarm.id, onDone]);
  const { run, busy, error } = useAsyncAction(ack);
  if (alarm.state !== 'raised') return null;
  return (
    <div className="ack-box">
      <button
        type="button"
        className="btn btn-ack btn-block btn-big"
        data-testid="acknowledge"
        disabled={busy}
        onClick={() => void run()}
        autoFocus
      >
        {busy ? t('detail.acknowledging') : t('detail.acknowledge')}
      </button>
      <ErrorMessage error={error} testId="acknowledge-error" />
    </div>
  );
}
