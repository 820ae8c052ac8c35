import { useI18n } from '../i18n/useI18n';
import { QueueRow } from './QueueRow';
import { QueueSummary } from './QueueSummary';
import { useAlarmQueue } from './useAlarmQueue';

export function QueuePage() {
  const { t } = useI18n();
  const { alarms, loading, error } = useAlarmQueue();
  return (
    <main className="page queue-page" data-testid="queue-page">
      <div className="page-head">
        <h1>{t('queue.title')}</h1>
        <QueueSummary alarms={alarms} />
      </div>
      {error && (
        <p className="error" role="alert" data-testid="queue-error">
          {t('queue.loadError', { message: error })}
        </p>
      )}
      <table className="queue" data-testid="queue">
        <thead>
          <tr>
            <th className="col-sev">{t('queue.col.severity')}</th>
            <th className="col-kind">{t('queue.col.kind')}</th>
            <th className="col-bed">{t('queue.col.bed')}</th>
            <th className="col-msg">{t('queue.col.message')}</th>
            <th className="col-age">{t('queue.col.age')}</th>
            <th className="col-state">{t('queue.col.state')}</th>
          </tr>
        </thead>
        <tbody>
          {alarms.map((a) => (
            <QueueRow key={a.id} alarm={a} />
          ))}
        </tbody>
      </table>
      {alarms.length === 0 && (
        <p className="empty" data-testid="queue-empty">
          {loading ? t('queue.loading') : t('queue.empty')}
        </p>
      )}
    </main>
  );
}
