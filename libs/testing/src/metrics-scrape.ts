/** Reads the hub's Prometheus text and sums the samples of `name` matching the labels. */
export async function scrape(httpUrl: string): Promise<(name: string, labels?: Record<string, string>) => number> {
  const text = await (await fetch(httpUrl + '/metrics', { signal: AbortSignal.timeout(10_000) })).text();
  return (name, labels = {}) => {
    let sum = 0;
    for (const line of text.split('\n')) {
      if (!line.startsWith(name)) continue;
      const m = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
      if (!m || m[1] !== name) continue;
      const ls = Object.fromEntries(
        (m[3] ?? '')
          .split(',')
          .filter(Boolean)
          .map((kv) => {
            const i = kv.indexOf('=');
            return [kv.slice(0, i), kv.slice(i + 2, -1)];
          }),
      );
      if (Object.entries(labels).every(([k, v]) => ls[k] === v)) sum += Number(m[4]);
    }
    return sum;
  };
}
