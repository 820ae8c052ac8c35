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
 *
 * Node caches the Date header and renews it on a timer, so an answer written right after the
 * hub's event loop was busy carries a stale date: too early, never too late. Its upper bound is
 * then below the others' lower bounds and is left out (at x60 a 17 ms stall is a whole hub
 * second). Lower bounds are always sound. Only when most answers contradict each other is the
 * speed itself wrong.
 */
export async function syncHubClock(hubUrl: string, speed: number, maxRealMs = 3000): Promise<HubClock> {
  const lows: number[] = [];
  const highs: number[] = [];
  const bounds = () => {
    const lo = Math.max(...lows);
    const sound = highs.filter((h) => h >= lo);
    return { lo, hi: sound.length ? Math.min(...sound) : Infinity, stale: highs.length - sound.length };
  };
  const t0 = Date.now();
  const target = Math.max(50, speed * 4);
  for (let probes = 0; Date.now() - t0 < maxRealMs; probes++) {
    if (probes >= 5) {
      const { lo, hi } = bounds();
      if (hi - lo <= target) break;
    }
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
    lows.push(d - speed * received);
    highs.push(d + 1000 - speed * sent);
  }
  const { lo, hi, stale } = bounds();
  if (!lows.length) throw new HubUnreachableError(`hub at ${hubUrl}`, new Error('no answer with a Date header'));
  if (stale * 2 > highs.length || !Number.isFinite(hi))
    throw new UsageError(`the hub's clock does not run at x${speed} (its Date header is inconsistent with that speed)`);
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
