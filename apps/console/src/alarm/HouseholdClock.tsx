import { formatTimeIn } from '../i18n/format';
import { useNow } from '../queue/useNow';

/** The household's wall clock now, with its zone: "03:12 GMT+8 · Asia/Shanghai". */
export function HouseholdClock({ timeZone }: { timeZone: string }) {
  const now = useNow();
  return (
    <span data-testid="household-time" data-zone={timeZone}>
      {formatTimeIn(now, timeZone)} · {timeZone}
    </span>
  );
}
