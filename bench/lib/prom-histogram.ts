/**
 * A Prometheus histogram read from the hub's /metrics, as cumulative counts per upper bound
 * (`le`, seconds), so a window's observations are the difference of two reads.
 */
export type Buckets = Map<number, number>;

/** Cumulative bucket counts of histogram `name` whose labels include `labels`, summed over the rest. */
export function parseHistogram(text: string, name: string, labels: Record<string, string> = {}): Buckets {
  const out: Buckets = new Map();
  const prefix = `${name}_bucket{`;
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const m = /\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!m) continue;
    const ls = Object.fromEntries(
      m[1]
        .split(',')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 2, -1)]),
    );
    if (!Object.entries(labels).every(([k, v]) => ls[k] === v)) continue;
    const le = ls.le === '+Inf' ? Infinity : Number(ls.le);
    out.set(le, (out.get(le) ?? 0) + Number(m[2]));
  }
  return out;
}

export async function readHistogram(httpUrl: string, name: string, labels: Record<string, string> = {}) {
  const text = await (await fetch(httpUrl + '/metrics', { signal: AbortSignal.timeout(10_000) })).text();
  return parseHistogram(text, name, labels);
}

/** What was observed between two reads (`after` - `before`). */
export function since(before: Buckets, after: Buckets): Buckets {
  return new Map([...after].map(([le, n]) => [le, n - (before.get(le) ?? 0)]));
}

/** Several windows' observations pooled. */
export function pooled(xs: Buckets[]): Buckets {
  const out: Buckets = new Map();
  for (const x of xs) for (const [le, n] of x) out.set(le, (out.get(le) ?? 0) + n);
  return out;
}

/**
 * The upper bound (ms) of the bucket holding quantile `q`: the true quantile is at most this and
 * above the bucket below. Null without observations; Infinity beyond the last finite bucket.
 */
export function quantileBoundMs(b: Buckets, q: number): number | null {
  const les = [...b.keys()].sort((x, y) => x - y);
  const total = b.get(Infinity) ?? 0;
  if (total <= 0) return null;
  const rank = Math.ceil(q * total);
  for (const le of les)
    if ((b.get(le) ?? 0) >= rank) return le === Infinity ? Infinity : Math.round(le * 1000 * 10) / 10;
  return Infinity;
}

/** Observations in a window. */
export const countOf = (b: Buckets): number => b.get(Infinity) ?? 0;
