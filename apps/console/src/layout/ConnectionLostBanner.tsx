import { useEffect, useState } from 'react';
import { formatAge } from '../i18n/formatAge';
import { useI18n } from '../i18n/useI18n';
import { useAlarmQueue } from '../queue/useAlarmQueue';
import { useNow } from '../queue/useNow';

/** Across the whole page while the live stream is lost: the queue on screen may be stale. */
export function ConnectionLostBanner() {
  const { t } = useI18n();
  const { status } = useAlarmQueue();
  const now = useNow();
  const [since, setSince] = useState<number | null>(null);
  const lost = status === 'reconnecting';
  useEffect(() => setSince(lost ? Date.now() : null), [lost]);
  if (!lost) return null;
  return (
    <div className="lost-banner" role="alert" data-testid="connection-lost">
      <strong>{t('banner.lost.title')}</strong>
      <span>{t('banner.lost.body', { age: formatAge(now - (since ?? now), t) })}</span>
    </div>
  );
}
