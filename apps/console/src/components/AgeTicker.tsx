import type { Time } from '../api/types';
import { formatAge } from '../i18n/formatAge';
import { isoAttr, toMs } from '../i18n/format';
import { useI18n } from '../i18n/useI18n';
import { useNow } from '../queue/useNow';

/** "3 min 12 s" since `since`, ticking every second. */
export function AgeTicker({ since }: { since: Time }) {
  const { t } = useI18n();
  const now = useNow();
  const ms = toMs(since);
  if (!Number.isFinite(ms)) return <span>—</span>;
  return (
    <time className="age" dateTime={isoAttr(since)} data-testid="alarm-age">
      {formatAge(now - ms, t)}
    </time>
  );
}
