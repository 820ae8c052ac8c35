import { readFileSync } from 'node:fs';

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: CpuNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export const AREAS = [
  'class-validator/transformer',
  'mqtt-packet parsing',
  'aedes (+mqemitter)',
  'kysely',
  'pg driver',
  'PGlite (WASM)',
  'InfluxDB client',
  'NATS client',
  'JSON',
  'socket writes (native writev/writeBuffer)',
  'our code (libs, apps)',
  'Nest/express/rxjs',
  'prom-client',
  'pino logging',
  'node core (net, streams, timers)',
  'GC',
  'idle',
  'other',
] as const;
export type Area = (typeof AREAS)[number];

export function areaOf(fn: string, url: string): Area {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(idle)') return 'idle';
  if (/node_modules\/(class-validator|class-transformer|validator|libphonenumber-js)\//.test(url))
    return 'class-validator/transformer';
  if (/node_modules\/(mqtt-packet|bl)\//.test(url)) return 'mqtt-packet parsing';
  if (
    /node_modules\/(aedes[^/]*|mqemitter|qlobber|fastfall|fastparallel|fastseries|reusify|retimer|hyperid|end-of-stream)\//.test(
      url,
    )
  )
    return 'aedes (+mqemitter)';
  if (/node_modules\/kysely[^/]*\//.test(url)) return 'kysely';
  if (/node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-[^/]+|pgpass|pg-connection-string)\//.test(url))
    return 'pg driver';
  if (/node_modules\/@electric-sql\//.test(url)) return 'PGlite (WASM)';
  if (/node_modules\/@influxdata\//.test(url)) return 'InfluxDB client';
  if (/node_modules\/(nats|nats-base-client|nkeys\.js|tweetnacl)\//.test(url)) return 'NATS client';
  if (/node_modules\/prom-client\//.test(url)) return 'prom-client';
  if (/node_modules\/(pino[^/]*|nestjs-pino|sonic-boom|thread-stream|fast-redact|quick-format-unescaped)\//.test(url))
    return 'pino logging';
  if (/node_modules\/(@nestjs|express|rxjs|router|body-parser)\//.test(url)) return 'Nest/express/rxjs';
  if (url === '' && /^(parse|stringify|JSONParse|JSONStringify)$/.test(fn)) return 'JSON';
  if (url === '' && /^(writev|writeBuffer|writeUtf8String|writeLatin1String|writeAsciiString)$/.test(fn))
    return 'socket writes (native writev/writeBuffer)';
  if (/\/dist\/(libs|apps)\//.test(url)) return 'our code (libs, apps)';
  if (url.startsWith('node:') || /^(internal|node):/.test(url)) return 'node core (net, streams, timers)';
  if (url.startsWith('wasm://')) return 'PGlite (WASM)';
  return 'other';
}

export interface ProfileSummary {
  file: string;
  durationMs: number;
  busyMs: number;
  areas: { area: Area; selfMs: number; pctOfBusy: number }[];
  topSelf: { fn: string; where: string; area: Area; selfMs: number; pctOfBusy: number }[];
  topOurInclusive: { fn: string; where: string; totalMs: number; pctOfBusy: number }[];
}

const short = (url: string) => {
  const u = url.replace(/^file:\/\//, '');
  return u.includes('node_modules/') ? u.replace(/^.*node_modules\//, '') : u.replace(/^.*\/dist\//, 'dist/');
};

/** Self time by area and function, and inclusive time of our own functions (hot-path stages). */
export function summariseProfile(file: string): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++)
    self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  const durationMs = (p.endTime - p.startTime) / 1000;
  // The window profiler's own work (the inspector serialising the profile when it stops) is not the hub's.
  const profiler = new Set<number>();
  const mark = (id: number, under: boolean) => {
    const n = byId.get(id)!;
    const inside = under || n.callFrame.url.includes('profile-on-signal');
    if (inside) profiler.add(id);
    for (const c of n.children ?? []) mark(c, inside);
  };
  mark(p.nodes[0].id, false);
  const key = (n: CpuNode) =>
    `${n.callFrame.functionName || '(anonymous)'}|${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const areas = new Map<Area, number>();
  const fns = new Map<string, { ms: number; area: Area }>();
  let idle = 0;
  for (const n of p.nodes) {
    const ms = self.get(n.id) ?? 0;
    if (!ms) continue;
    if (profiler.has(n.id)) {
      idle += ms;
      continue;
    }
    const area = areaOf(n.callFrame.functionName, n.callFrame.url);
    if (area === 'idle') idle += ms;
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const k = key(n);
    const f = fns.get(k) ?? { ms: 0, area };
    f.ms += ms;
    fns.set(k, f);
  }
  const busyMs = durationMs - idle;
  const pct = (ms: number) => Math.round((ms / busyMs) * 1000) / 10;
  // Inclusive time of our functions, counted once per stack (no double counting of recursion).
  const incl = new Map<string, number>();
  const root = p.nodes[0];
  const walk = (n: CpuNode, active: Set<string>): number => {
    let total = self.get(n.id) ?? 0;
    const k = key(n);
    const ours = /\/dist\/(libs|apps)\//.test(n.callFrame.url);
    const fresh = ours && !active.has(k);
    if (fresh) active.add(k);
    for (const c of n.children ?? []) total += walk(byId.get(c)!, active);
    if (fresh) {
      active.delete(k);
      incl.set(k, (incl.get(k) ?? 0) + total);
    }
    return total;
  };
  walk(root, new Set());
  const split = (k: string) => ({ fn: k.slice(0, k.indexOf('|')), where: k.slice(k.indexOf('|') + 1) });
  return {
    file,
    durationMs: Math.round(durationMs),
    busyMs: Math.round(busyMs),
    areas: [...areas]
      .filter(([a]) => a !== 'idle')
      .sort((a, b) => b[1] - a[1])
      .map(([area, ms]) => ({ area, selfMs: Math.round(ms), pctOfBusy: pct(ms) })),
    topSelf: [...fns]
      .filter(([, f]) => f.area !== 'idle')
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 25)
      .map(([k, f]) => ({ ...split(k), area: f.area, selfMs: Math.round(f.ms), pctOfBusy: pct(f.ms) })),
    topOurInclusive: [...incl]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([k, ms]) => ({ ...split(k), totalMs: Math.round(ms), pctOfBusy: pct(ms) })),
  };
}
