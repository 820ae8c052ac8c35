import { isClosedSocket } from './reconnecting-rest.client';
import { HubUnreachableError, UsageError, isUnreachable } from '../cli/exit-codes';

/** The hub's clock seen from here: virtual = offset + speed x real (ms epoch). */
export interface HubClock {
  speed: number;
  offset: number;
  /** Half-width of the uncertainty of `offset`, virtual ms. */
  uncertaintyMs: number;
  now(): number;
  toVirtual(realMs: number): number;
  toReal(virtualMs: number): number;
}

export function hubClock(speed: number, offset: number, uncertaintyMs: number): HubClock {
  return {
    speed,
    offset,
    uncertaintyMs,
    now: () => offset + speed * Date.now(),
    toVirtual: (real) => offset + speed * real,
    toReal: (virtual) => (virtual - offset) / speed,
  };
}

/**
 * Reads the hub's clock from the HTTP `Date` header (whole seconds): each answer bounds the
 * offset between [date - speed x received, date + 1 s - speed x sent]; intersecting many
 * answers, some near a second boundary, narrows it to a few real milliseconds times `speed`.
 * Works against a hub at real time (speed 1, then it probes for a little over a second) or
 * one run faster under libfaketime.
 */
export async function syncHubClock(hubUrl: string, speed: number, maxRealMs = 3000): Promise<HubClock> {
  let lo = -Infinity;
  let hi = Infinity;
  const t0 = Date.now();
  const target = Math.max(50, speed * 4);
  for (let probes = 0; Date.now() - t0 < maxRealMs && (hi - lo > target || probes < 5); probes++) {
    const sent = Date.now();
    let date: string | null;
    try {
      const res = await fetch(`${hubUrl}/health`, { method: 'GET', signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      date = res.headers.get('date');
    } catch (err) {
      if (isClosedSocket(err)) continue;
      if (isUnreachable(err) || (err as Error).message === 'fetch failed')
        throw new HubUnreachableError(`hub at ${hubUrl}`, err);
      throw err;
    }
    const received = Date.now();
    if (!date) throw new Error(`${hubUrl}/health sent no Date header`);
    const d = Date.parse(date);
    lo = Math.max(lo, d - speed * received);
    hi = Math.min(hi, d + 1000 - speed * sent);
    if (lo > hi)
      throw new UsageError(
        `the hub's clock does not run at x${speed} (its Date header is inconsistent with that speed)`,
      );
  }
  return hubClock(speed, (lo + hi) / 2, (hi - lo) / 2);
}

/**
 * Checks that the hub's clock still agrees with `clock` (same speed): a wrong `--speed` shows
 * as a drift of the offset between two syncs.
 */
export async function checkHubSpeed(
  hubUrl: string,
  clock: HubClock,
  since: number,
): Promise<{ measuredSpeed: number; clock: HubClock }> {
  const again = await syncHubClock(hubUrl, clock.speed);
  const elapsedReal = Date.now() - since;
  const measuredSpeed = clock.speed + (again.offset - clock.offset) / Math.max(1, elapsedReal);
  return { measuredSpeed, clock: again };
}
