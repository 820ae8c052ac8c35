import type { BenchResults, QosSummary, StepResult } from './results';
import type { Spread } from './stats';
import type { ClusterBenchResult, SideProfile } from '../cluster.bench';
import { renderCorpus } from '../corpus.bench';
import type { DeviceFairnessResult, LatencyFigures } from '../device-fairness.bench';
import { describePinning } from './cpu-pinning';

/** What the corpus is and how to run it; part of the generated page so a bench run keeps it. */
export const REALISTIC_NIGHTS_HOWTO = [
  '**What it is.** A project-owned corpus of home-care nights (`devices-sim/src/corpus/`; the published characteristics behind each parameter are in its README): per bed a resident aged 65-95 (resting heart rate 52-78, breathing 12-18 /min, SpO2 baseline 94.5-98 %), sleep stages in 80-110 min cycles with heart and breathing rate following them, bedtime about 21:40 and rising about 06:40 local, 0-3 toilet trips of 3-15 min, 1-4 turnovers an hour (movement spike, signal quality below 30, HR/RR 0 for 5-20 s), the mattress reporting HR 0 / RR 0 at good signal for 10-40 s after lying down and 5-25 s while getting up, wearable SpO2 motion dips to 84-91 % with 40 % of turnovers, a low reading as the wearable comes off, the wearable off all night for one resident in five, 0-2 link dropouts of 2-15 s per device and a flapping link (2 s every 10 s for 2-5 min) on 6 % of beds, and 5 % of nights with a false fall detection that the wearer cancels. Mattresses stream 1 Hz samples one per message (30 %) or upload batches every 60-120 s; wearables stream every 5 s (40 %) or send 8 samples 15 s apart every 2 min; call buttons report their battery every minute.',
  '',
  '**True events** (one bed in three; types in turn): bradycardia HR 35-37 for 90-180 s, tachycardia HR about 150 for 60-180 s, apnea (no breathing, good signal) for 35-60 s, desaturation SpO2 86-89 % for 90-180 s, night absence of 25-45 min, an uncancelled fall on the way to the toilet. Each must reach the call centre within its clinical window from onset: 3 min for heart rate and apnea, 4 min for SpO2 (1 min hold plus a 2-minute wearable batch), 2 min after the 20th minute away for the absence, 45 s for the fall (30 s cancel window). Every alarm on the stream is sorted: true (its event, in the window), late (up to 10 min after), repeat (a second alarm for the same event: counted as unneeded) or false, with what the night was doing just before it.',
  '',
  "**Compressed clock.** The hub runs under Debian's libfaketime (`LD_PRELOAD` + `FAKETIME='@2026-01-10 12:30:00 x60'`, see `libs/testing/src/compressed-clock.ts`): Date.now, the monotonic clock and timer waits all run 60 times faster, so absence, offline and fall timers fire on the residents' time. Transport and call-centre workflow timings that are not alarm decisions are stretched by the same factor (MQTT connect timeout, telemetry group commit, escalation). The runner reads the hub's clock from its HTTP `Date` header (offset known to about +-0.1 s of hub time), stamps every message with hub time and sends it when the hub's clock reaches it; it measures its own lateness, the hub's PUBACK delay and the clock drift over the night, and declares the run **distorted** (not judged) when any exceeds 10 s of hub time. The hub's own polling timers also run 60 times as often (the webhook dispatcher polls every 500 ms of hub time), which is what limits the speed on two cores.",
  '',
  '**Run it.**',
  '',
  '```sh',
  'npm run build',
  'node dist/bench/corpus.bench.js --beds 20 --hours 10 --speed 60 --previous 25e4bf4   # both hubs, side by side (~25 min)',
  'node --experimental-vm-modules node_modules/jest/bin/jest.js test/night-corpus --selectProjects e2e --runInBand   # 12 beds x 3 h at x60, asserts the targets',
  '# against a hub you run yourself (its clock compressed or not):',
  "LD_PRELOAD=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 FAKETIME='@2026-01-10 12:30:00 x60' TZ=UTC npm start",
  'node devices-sim/bin/devices-sim.js corpus --admin admin:secret --beds 20 --speed 60 [--hours 10] [--seed 1] [--json]',
  '```',
].join('\n');

const f = (s: Spread | null | undefined, unit = '', scale = 1): string => {
  if (!s) return '–';
  const v = (x: number) => fmt(x * scale);
  return s.n > 1 && s.min !== s.max ? `${v(s.median)}${unit} (${v(s.min)}–${v(s.max)})` : `${v(s.median)}${unit}`;
};
const fmt = (x: number): string =>
  Math.abs(x) >= 100
    ? Math.round(x).toLocaleString('en-US')
    : Math.abs(x) >= 1
      ? x.toFixed(1)
      : x === 0
        ? '0'
        : x.toPrecision(2);
const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;

function qosRow(target: string, s: StepResult, q: QosSummary): string {
  return `| ${target} | ${s.beds.toLocaleString('en-US')} | ${q.qos} | ${fmt(q.offeredPerSec)} | ${f(q.throughputPerSec)} | ${f(q.lossRatio, ' %', 100)} | ${q.qos === 1 ? `${f(q.p50Ms)} / ${f(q.p99Ms)} / ${f(q.p999Ms)}` : '–'} | ${f(q.serverCpuUsPerMsg)} | ${f(q.backendCpuUsPerMsg)} | ${f(q.generatorCpuUsPerMsg)} | ${f(q.latenessP99Ms)} | ${q.broken ? `**breaks**: ${q.broken}` : 'ok'} |`;
}

/** Heading of the device fairness section; a lone fairness run replaces the section under it. */
export const DEVICE_FAIRNESS_HEADING = '## Device fairness: one device flooding, one not reading';

const ms = (x: number | null) => (x === null ? '–' : fmt(x));
const times = (loaded: number | null, quiet: number | null) =>
  loaded === null || quiet === null || quiet === 0 || !Number.isFinite(loaded / quiet)
    ? '–'
    : `${(loaded / quiet).toFixed(2)}×`;
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${x} %`);
/** A histogram bucket's upper bound ("≤ 25.0"), or beyond the last finite one. */
const bound = (x: number | null | undefined) =>
  x === null || x === undefined ? '–' : Number.isFinite(x) ? `≤ ${fmt(x)}` : 'beyond the last bucket';

/**
 * Other devices' ack latency on a quiet hub and while one device floods telemetry and one stops
 * reading its socket, side by side; `origin` says which run the figures come from.
 */
export function renderDeviceFairness(d: DeviceFairnessResult | null | undefined, origin?: string): string[] {
  const L: string[] = [DEVICE_FAIRNESS_HEADING, ''];
  if (!d) return [...L, 'Not run in this benchmark (`--no-fairness` or `--quick`).', ''];
  const o = d.options;
  const where =
    o.database === 'postgres'
      ? 'on PostgreSQL (`--postgres`: a server the bench starts on loopback, the hub otherwise on its defaults, telemetry in SQL)'
      : 'on hub-embedded defaults (PGlite)';
  L.push(
    `bench/device-fairness.bench.ts ${where}: ${o.buttons} call buttons (one bed each) press SOS (\`button.pressed\`, QoS 1) every ${o.everyMs} ms for ${o.windowS} s, once on a quiet hub and once while one mattress floods telemetry at QoS 0 from its own process (at nice 19, as the other benches' load generators: it stands for another machine) and one device subscribed to its own topics publishes without pause and never reads its socket. Latency per press from the button's publish to its \`stored\` and \`alarm\` acks on its \`acks\` topic (the \`alarm\` ack is the device's view of SOS -> alarm). Target: loaded p99 within 2× of quiet.${d.pinning !== undefined ? ` CPUs, for both windows: ${describePinning(d.pinning)}.` : ''}${origin ? ` ${origin}` : ''}`,
    '',
  );
  const row = (label: string, pick: (x: LatencyFigures) => number | null) =>
    `| ${label} | ${ms(pick(d.quiet))} | ${ms(pick(d.loaded))} | ${times(pick(d.loaded), pick(d.quiet))} |`;
  L.push(
    '| ms | quiet | loaded | loaded ÷ quiet |',
    '| --- | ---: | ---: | ---: |',
    row('`stored` ack p50', (x) => x.storedP50Ms),
    row('`stored` ack p99', (x) => x.storedP99Ms),
    row('SOS -> `alarm` ack p50', (x) => x.alarmP50Ms),
    row('SOS -> `alarm` ack p99', (x) => x.alarmP99Ms),
    ...(d.quiet.streamP99BoundMs !== undefined
      ? [
          `| SOS -> alarm on the console stream p99 (hub histogram, bucket bound) | ${bound(d.quiet.streamP99BoundMs)} | ${bound(d.loaded.streamP99BoundMs)} | |`,
          `| SOS wait in the rules runner p99 (hub histogram, bucket bound) | ${bound(d.quiet.priorityWaitP99BoundMs)} | ${bound(d.loaded.priorityWaitP99BoundMs)} | |`,
          `| hub main thread runnable but waiting for a CPU (% of the windows; other processes on the machine) | ${pct(d.quiet.hubCpuWaitPct)} | ${pct(d.loaded.hubCpuWaitPct)} | |`,
        ]
      : []),
    ...(d.quiet.hubGcPausesOver10Ms !== undefined
      ? [
          `| hub garbage collection pauses over 10 ms (V8, in the windows) | ${d.quiet.hubGcPausesOver10Ms} | ${d.loaded.hubGcPausesOver10Ms ?? '–'} | |`,
        ]
      : []),
    `| acks received (stored / alarm of presses) | ${d.quiet.storedAcks} / ${d.quiet.alarmAcks} of ${d.quiet.presses} | ${d.loaded.storedAcks} / ${d.loaded.alarmAcks} of ${d.loaded.presses} | |`,
    '',
  );
  if (d.firstPresses)
    L.push(
      `First presses after the hub started (before the windows, ${d.firstPresses.presses} at once, one per button): slowest \`stored\` ack ${ms(d.firstPresses.storedMaxMs)} ms, slowest \`alarm\` ack ${ms(d.firstPresses.alarmMaxMs)} ms.`,
      '',
    );
  L.push(
    ...(d.roundRatios && d.roundRatios.length > 1
      ? [
          `${d.roundRatios.length} rounds, quiet and loaded windows in turn; the table pools every round's presses. p99 ratio of each round alone (stored / alarm${d.roundRatios[0].load ? ', load average at its start' : ''}): ${d.roundRatios.map((x) => `${x.stored ?? '–'} / ${x.alarm ?? '–'}${x.load ? ` (load ${x.load.join(', ')})` : ''}`).join(d.roundRatios[0].load ? '; ' : ', ')}.`,
          '',
        ]
      : []),
    `Flood: ${d.flood.sent.toLocaleString('en-US')} telemetry messages sent, ${d.flood.refusedForQuota.toLocaleString('en-US')} refused for quota (\`RATE_LIMITED\`); the device that stopped reading ${d.flood.stuckDropped ? 'was dropped by the hub' : 'was not dropped within the window'}. **Within 2× of quiet: ${d.withinTarget ? 'yes' : 'no'}** (p99 ratios: stored ${d.ratio.stored ?? '–'}, alarm ${d.ratio.alarm ?? '–'}).`,
    '',
  );
  return L;
}

/** Heading of the cluster section; a lone cluster run replaces the section under it. */
export const CLUSTER_HEADING = '## Cluster: hubs behind HAProxy, side by side with one hub';

/**
 * Planning rule of the capacity arithmetic: a hub runs its JavaScript on one thread, so a node
 * carries what keeps that one core at this share, the share a single hub runs at its rated size.
 */
const PLAN_UTILISATION = 0.7;
const PROVINCE_BEDS = 23_000;

/**
 * Steady state of N hubs behind HAProxy against one hub at equal beds on the same PostgreSQL
 * (telemetry, SOS -> console, CPU per message of every process), then the takeovers after
 * kill -9, and the capacity arithmetic from the per-message figures.
 */
export function renderCluster(c: ClusterBenchResult | null | undefined, origin?: string): string[] {
  const L: string[] = [CLUSTER_HEADING, ''];
  if (!c) return [...L, 'Not run in this benchmark (opt-in: `--cluster`).', ''];
  const o = c.options;
  L.push(
    `bench/cluster.bench.ts: ${o.beds.toLocaleString('en-US')} beds (1 mattress connection each at 1 msg/s, the same \`devices-sim load\` as above: ${o.runs} QoS 0 and ${o.runs} QoS 1 windows of ${o.windowS} s, ${o.sos} SOS presses per window from the load's probe, timed to \`alarm.raised\` on the console stream) against one hub, then against ${o.nodes} hubs${c.singleShare ? `; the one hub also carried ${c.singleShare.beds.toLocaleString('en-US')} beds, one node's share, to tell the cost of clustering from the cost of a thinner load per process` : ''}. Settings: ${c.settings}. CPU per message = utime+stime deltas from /proc/<pid>/stat over the window ÷ messages delivered; "hubs" sums every hub process. Targets (issue): SOS -> alarm p99 ≤ 100 ms in steady state; cluster CPU per message within 1.25× of single-node; partitions moved within 6 s of a kill -9; SOS from a device of the killed node on the console within 10 s, its reconnect included.${origin ? ` ${origin}` : ''}`,
    '',
  );
  if (c.errors.length) L.push(...c.errors.map((e) => `- **error**: ${e.split('\n')[0].slice(0, 300)}`), '');
  const q = (st: StepResult | null, qos: 0 | 1) => st?.qos.find((x) => x.qos === qos);
  const side = (st: StepResult | null, qos: 0 | 1, name: string) => q(st, qos)?.sideCpuUsPerMsg?.[name] ?? null;
  const sosOf = (st: StepResult | null) => (st?.sos && !('unavailable' in st.sos) ? st.sos : null);
  const total = (st: StepResult | null, qos: 0 | 1) => {
    const x = q(st, qos);
    if (!x?.serverCpuUsPerMsg) return null;
    return (
      x.serverCpuUsPerMsg.median +
      (x.backendCpuUsPerMsg?.median ?? 0) +
      Object.values(x.sideCpuUsPerMsg ?? {}).reduce((a, v) => a + (v?.median ?? 0), 0)
    );
  };
  const div = (a: number | null | undefined, b: number | null | undefined) =>
    a !== null && a !== undefined && b ? `${(a / b).toFixed(2)}×` : '–';
  const S = c.single;
  const SS = c.singleShare ?? null;
  const K = c.cluster;
  const row = (label: string, a: string, b: string, r = '', target = '') =>
    `| ${label} | ${a} | ${b} | ${r} | ${target} |`;
  L.push('| | single node | cluster | cluster ÷ single | target |', '| --- | ---: | ---: | ---: | --- |');
  L.push(
    row('connections', String(S?.connections ?? '–'), String(K?.connections ?? '–')),
    row(
      'delivered msg/s, QoS 0 / QoS 1',
      `${f(q(S, 0)?.throughputPerSec)} / ${f(q(S, 1)?.throughputPerSec)}`,
      `${f(q(K, 0)?.throughputPerSec)} / ${f(q(K, 1)?.throughputPerSec)}`,
    ),
    row(
      'loss, QoS 0 / QoS 1',
      `${f(q(S, 0)?.lossRatio, ' %', 100)} / ${f(q(S, 1)?.lossRatio, ' %', 100)}`,
      `${f(q(K, 0)?.lossRatio, ' %', 100)} / ${f(q(K, 1)?.lossRatio, ' %', 100)}`,
    ),
    row(
      'QoS 1 PUBACK p50 / p99 ms',
      `${f(q(S, 1)?.p50Ms)} / ${f(q(S, 1)?.p99Ms)}`,
      `${f(q(K, 1)?.p50Ms)} / ${f(q(K, 1)?.p99Ms)}`,
    ),
    row(
      'SOS -> console: presses raised',
      sosOf(S) ? `${sosOf(S)!.matched} of ${sosOf(S)!.presses}` : '–',
      sosOf(K) ? `${sosOf(K)!.matched} of ${sosOf(K)!.presses}` : '–',
    ),
    row(
      'SOS -> console p50 ms',
      f(sosOf(S)?.p50Ms),
      f(sosOf(K)?.p50Ms),
      div(sosOf(K)?.p50Ms?.median, sosOf(S)?.p50Ms?.median),
    ),
    row(
      'SOS -> console p99 ms',
      f(sosOf(S)?.p99Ms),
      f(sosOf(K)?.p99Ms),
      div(sosOf(K)?.p99Ms?.median, sosOf(S)?.p99Ms?.median),
      `≤ 100 ms: **${sosOf(K)?.p99Ms ? (sosOf(K)!.p99Ms!.median <= 100 ? 'met' : 'missed') : '–'}**`,
    ),
    row('SOS -> console max ms', f(sosOf(S)?.maxMs), f(sosOf(K)?.maxMs)),
  );
  for (const qos of [0, 1] as const) {
    const r = c.cpuRatio[`qos${qos}`];
    L.push(
      row(
        `QoS ${qos} CPU µs/msg: hubs`,
        f(q(S, qos)?.serverCpuUsPerMsg),
        f(q(K, qos)?.serverCpuUsPerMsg),
        r.hubs !== null ? `${r.hubs.toFixed(2)}×` : '–',
        `≤ 1.25×: **${r.hubs === null ? '–' : r.hubs <= 1.25 ? 'met' : 'missed'}**`,
      ),
      ...(SS
        ? [
            row(
              `QoS ${qos} CPU µs/msg: hubs; single node at a node's share (${SS.beds.toLocaleString('en-US')} beds)`,
              f(q(SS, qos)?.serverCpuUsPerMsg),
              f(q(K, qos)?.serverCpuUsPerMsg),
              c.shareRatio?.[`qos${qos}`].hubs != null ? `${c.shareRatio[`qos${qos}`].hubs!.toFixed(2)}×` : '–',
            ),
          ]
        : []),
      ...Object.entries(c.relays ?? {}).map(([name, r]) => {
        const full = q(r?.full ?? null, qos)?.serverCpuUsPerMsg;
        const share = q(r?.share ?? null, qos)?.serverCpuUsPerMsg;
        return row(
          `QoS ${qos} CPU µs/msg: ${name} alone (a relay: no hub code, no cluster), one process at all beds / at a node's share`,
          f(full),
          f(share),
          div(share?.median, full?.median),
        );
      }),
      row(`QoS ${qos} CPU µs/msg: PostgreSQL`, f(q(S, qos)?.backendCpuUsPerMsg), f(q(K, qos)?.backendCpuUsPerMsg)),
      row(`QoS ${qos} CPU µs/msg: nats-server`, '–', f(side(K, qos, 'nats-server'))),
      row(`QoS ${qos} CPU µs/msg: haproxy`, '–', f(side(K, qos, 'haproxy'))),
      row(
        `QoS ${qos} CPU µs/msg: all of the above`,
        total(S, qos) !== null ? fmt(total(S, qos)!) : '–',
        total(K, qos) !== null ? fmt(total(K, qos)!) : '–',
        r.total !== null ? `${r.total.toFixed(2)}×` : '–',
      ),
    );
  }
  const sysShare = (st: StepResult | null, qos: 0 | 1) => f(q(st, qos)?.serverSystemShare, ' %', 100);
  L.push(
    row(
      'hubs: kernel share of their CPU (stime), QoS 0 / QoS 1',
      `${sysShare(S, 0)} / ${sysShare(S, 1)}`,
      `${sysShare(K, 0)} / ${sysShare(K, 1)}`,
    ),
    row(
      'NATS messages published per device message stored',
      '–',
      c.busPerMessage !== null && c.busPerMessage !== undefined ? fmt(c.busPerMessage) : '–',
    ),
    row(
      'hubs: garbage collection µs/msg (V8), QoS 0 / QoS 1',
      `${f(q(S, 0)?.serverGcUsPerMsg)} / ${f(q(S, 1)?.serverGcUsPerMsg)}`,
      `${f(q(K, 0)?.serverGcUsPerMsg)} / ${f(q(K, 1)?.serverGcUsPerMsg)}`,
    ),
    row(
      'hubs: main-thread wake-ups per message (voluntary context switches), QoS 0 / QoS 1',
      `${f(q(S, 0)?.serverWakeupsPerMsg)} / ${f(q(S, 1)?.serverWakeupsPerMsg)}`,
      `${f(q(K, 0)?.serverWakeupsPerMsg)} / ${f(q(K, 1)?.serverWakeupsPerMsg)}`,
    ),
    row('generator CPU µs/msg (QoS 1)', f(q(S, 1)?.generatorCpuUsPerMsg), f(q(K, 1)?.generatorCpuUsPerMsg)),
    '',
  );
  const idle = (x: Record<string, number> | null) =>
    x
      ? Object.entries(x)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')
      : '–';
  L.push(
    `Idle (every bed provisioned, no device connected, 5 s), cores used: single node ${idle(c.idle?.single ?? null)}; cluster ${idle(c.idle?.cluster ?? null)}. This fixed cost (lease renewals, the alarm-log tail, timers on every node) is inside the per-message CPU above and weighs less as beds grow.`,
    '',
  );
  const ps = c.profiles?.single ?? null;
  const pk = c.profiles?.clusterNode ?? null;
  if (ps || pk) {
    const per = (p: SideProfile | null, area: string) => {
      const a = p?.summary.areas.find((x) => x.area === area);
      return a && p && p.messages ? fmt((a.selfMs * 1000) / p.messages) : '–';
    };
    const areas = [...new Set([...(ps?.summary.areas ?? []), ...(pk?.summary.areas ?? [])].map((a) => a.area))].filter(
      (a) => a !== 'idle',
    );
    const busy = (p: SideProfile | null) => (p && p.messages ? fmt((p.summary.busyMs * 1000) / p.messages) : '–');
    L.push(
      `Where the time goes: CPU profile of the main thread during a steady QoS 1 window (steps' profileHub, ${ps ? (ps.summary.durationMs / 1000).toFixed(1) : '–'} s single / ${pk ? (pk.summary.durationMs / 1000).toFixed(1) : '–'} s cluster) of the single hub and of one cluster node (hub-1, which receives about 1/${o.nodes} of the devices' messages and owns about 1/${o.nodes} of the partitions); self time in µs per device message that process received (profile ms × 1,000 ÷ beds × seconds ÷ nodes). Profiles: ${[ps, pk].map((p) => (p ? `\`${p.summary.file}\`` : '–')).join(', ')} (not in git).`,
      '',
      '| area | single hub µs/msg | cluster node µs/msg |',
      '| --- | ---: | ---: |',
      `| main thread busy | ${busy(ps)} | ${busy(pk)} |`,
      ...areas.map((a) => `| ${a} | ${per(ps, a)} | ${per(pk, a)} |`),
      '',
    );
    if (pk)
      L.push(
        'Top self-time functions of the cluster node:',
        '',
        '| function | where | area | self ms | % of busy |',
        '| --- | --- | --- | ---: | ---: |',
        ...pk.summary.topSelf
          .slice(0, 12)
          .map((x) => `| \`${x.fn}\` | ${x.where} | ${x.area} | ${x.selfMs} | ${x.pctOfBusy} |`),
        '',
      );
  }
  const broken = [S, K].map((st, i) => (st?.broken ? `${i ? 'cluster' : 'single node'}: ${st.broken}` : null));
  if (broken.some(Boolean)) L.push(`Broken steps: ${broken.filter(Boolean).join('; ')}.`, '');

  L.push(
    `Takeover after kill -9 (${c.takeovers.length} rounds, each of another node under a QoS 1 load of every bed through HAProxy; the node is restarted on its ports afterwards). Right after the kill, call buttons that the hash had placed on the killed node (MQTT.js, reconnecting every 300 ms through HAProxy) press SOS; a console follows the stream through HAProxy and resumes with Last-Event-ID when its node dies. "Moved" = kill -> no partition lease left on the node (PostgreSQL \`partition_leases\`, polled every 50 ms).`,
    '',
    '| round | node killed | partitions it held | moved ms | buttons on it | presses on the console | press -> console ms | load sent / acked (its devices do not reconnect) |',
    '| ---: | --- | ---: | ---: | ---: | ---: | --- | --- |',
    ...c.takeovers.map(
      (r, i) =>
        `| ${i + 1} | ${r.node} | ${r.partitionsHeld} | ${r.movedMs ?? 'not within 30 s'} | ${r.buttonsOnNode} | ${r.pressToConsoleMs.length} of ${r.presses} | ${r.pressToConsoleMs.join(', ') || '–'} | ${r.load ? `${r.load.sent} / ${r.load.acked ?? '–'}` : '–'}${r.error ? ` error: ${r.error.slice(0, 200)}` : ''} |`,
    ),
    '',
  );
  const t = c.takeover;
  L.push(
    `Partitions moved in ${f(t.movedMs)} ms (median (min–max)): **${t.movedMs ? (t.movedMs.max <= 6000 ? 'within' : 'not within') : '–'} 6 s**. SOS from the killed node's devices on the console: ${t.seen} of ${t.presses}, p50 ${t.pressP50Ms ?? '–'} ms, p99 ${t.pressP99Ms ?? '–'} ms, max ${t.pressMaxMs ?? '–'} ms: **${t.presses === 0 ? '–' : t.seen < t.presses || (t.pressMaxMs ?? Infinity) > 10_000 ? 'not within' : 'within'} 10 s**${t.presses < 100 ? ` (${t.presses} presses: the p99 is the maximum)` : ''}.`,
    '',
  );
  const perMsg = q(K, 1)?.serverCpuUsPerMsg?.median ?? null;
  const pgPerMsg = q(K, 1)?.backendCpuUsPerMsg?.median ?? null;
  const natsPerMsg = side(K, 1, 'nats-server')?.median ?? null;
  const haPerMsg = side(K, 1, 'haproxy')?.median ?? null;
  if (perMsg) {
    const bedsPerNode = Math.floor((1e6 * PLAN_UTILISATION) / perMsg);
    const n = Math.ceil(PROVINCE_BEDS / bedsPerNode);
    L.push(
      `Capacity arithmetic (not measured at that size): a hub runs its JavaScript on one thread (the profile above: nearly all of a node's CPU is its main thread), so one core is a node's ceiling whatever the machine, and a single hub at its rated 10,000 beds keeps it about ${PLAN_UTILISATION * 100} % busy. At ${fmt(perMsg)} µs of hub CPU per QoS 1 message in the cluster and 1 msg/s per bed, a node carries 10⁶ × ${PLAN_UTILISATION} ÷ ${fmt(perMsg)} ≈ **${bedsPerNode.toLocaleString('en-US')} beds**; ${PROVINCE_BEDS.toLocaleString('en-US')} beds need ${n} nodes, **${n + 1} with one spare (N+1)**. PostgreSQL at ${pgPerMsg !== null ? fmt(pgPerMsg) : '–'} µs per message would use ${pgPerMsg !== null ? ((PROVINCE_BEDS * pgPerMsg) / 1e6).toFixed(1) : '–'} cores for ${PROVINCE_BEDS.toLocaleString('en-US')} msg/s, nats-server ${natsPerMsg !== null ? ((PROVINCE_BEDS * natsPerMsg) / 1e6).toFixed(1) : '–'} and HAProxy ${haPerMsg !== null ? ((PROVINCE_BEDS * haPerMsg) / 1e6).toFixed(1) : '–'} at this run's cost per message. See docs/cluster.md for why.`,
      '',
    );
  }
  return L;
}

/** `md` with the `## ` section under `heading` replaced by `section`, or inserted before `before` (else at the end). */
export function spliceSection(md: string, heading: string, section: string, before: string): string {
  const start = md.indexOf(`\n${heading}\n`);
  if (start >= 0) {
    const next = md.indexOf('\n## ', start + heading.length + 1);
    return md.slice(0, start + 1) + section + (next >= 0 ? md.slice(next + 1) : '');
  }
  const at = md.indexOf(`\n${before}\n`);
  if (at >= 0) return md.slice(0, at + 1) + section + md.slice(at + 1);
  return md.replace(/\n*$/, '\n\n') + section;
}

export function renderMarkdown(r: BenchResults, jsonRel: string, notes: string): string {
  const m = r.machine;
  const L: string[] = [];
  L.push('# Benchmarks', '');
  L.push(
    `Generated by \`npm run bench\` (bench/run-all.ts) on ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC in ${Math.round((r.elapsedS / 60) * 10) / 10} min${r.options.quick ? ' (**--quick smoke run, not representative**)' : ''}. Raw results: \`${jsonRel}\`.`,
    '',
  );
  if (notes.trim()) L.push(notes.trim(), '');
  L.push('## Machine and versions', '');
  L.push('| | |', '| --- | --- |');
  L.push(
    `| CPU | ${m.cpuModel}, ${m.cores} cores |`,
    `| memory | ${m.memoryGiB} GiB |`,
    `| OS | ${m.os}, kernel ${m.kernel} |`,
    `| Node.js | ${m.node} |`,
  );
  L.push(
    `| mosquitto | ${m.mosquitto} |`,
    `| influxd | ${m.influxd} |`,
    `| PostgreSQL | ${m.postgres} |`,
    `| open files (soft limit of the suite and its children) | ${m.nofile} |`,
  );
  L.push(
    `| load average when the run started | ${m.loadAverageAtStart.join(', ')} (shared machine: other jobs were running) |`,
    `| git | ${m.gitCommit}${m.gitDirty ? ' + uncommitted changes' : ''} |`,
    '',
  );
  L.push('## Settings', '');
  for (const [k, v] of Object.entries(r.settings)) L.push(`- **${k}**: ${v}`);
  L.push(`- **steps** (beds): ${r.options.steps.join(', ')}; each target stops at its first breaking step.`);
  L.push(
    `- **breaks** when the median over runs has loss > ${r.options.maxLoss * 100} % of sent messages, or (QoS 1) p99 publish->PUBACK > ${r.options.maxP99Ms} ms, or > 0.1 % failed connects, or the generator itself lags (p99 scheduler lateness > ${r.options.maxP99Ms} ms).`,
  );
  L.push(
    '- **loss**: QoS 1 hub = sent but not PUBACKed after the drain (the hub PUBACKs after storing); QoS 0 hub = sent minus `bedside_mqtt_messages_stored_total{channel="telemetry"}` delta; relays = sent minus messages received by the subscriber.',
  );
  L.push(
    '- **throughput** = messages delivered (PUBACKed / stored / relayed) ÷ the send window. **CPU per message** = utime+stime delta of the server process (/proc/<pid>/stat) from window start until the delivered count settles, ÷ messages delivered. Backend = PostgreSQL processes + influxd (hub-prod). Generator = the devices-sim process.',
  );
  L.push('- Cells are **median (min–max)** over the repeated runs.', '');

  L.push('## Telemetry throughput and latency (1 msg/s per bed)', '');
  L.push(
    '| target | beds | QoS | offered msg/s | delivered msg/s | loss | PUBACK ms p50 / p99 / p99.9 | server CPU µs/msg | backend CPU µs/msg | generator CPU µs/msg | generator lateness p99 ms | verdict |',
  );
  L.push('| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |');
  for (const t of r.targets) {
    if (t.skipped || (t.error && t.steps.length === 0)) {
      L.push(
        `| ${t.name} | – | – | – | – | – | – | – | – | – | – | ${t.skipped ?? 'failed: ' + (t.error ?? '').split('\n')[0]} |`,
      );
      continue;
    }
    for (const s of t.steps) {
      if (s.error)
        L.push(
          `| ${t.name} | ${s.beds} | – | – | – | – | – | – | – | – | – | failed: ${s.error.split('\n')[0].slice(0, 200)} |`,
        );
      for (const q of s.qos) L.push(qosRow(t.name, s, q));
    }
  }
  L.push('');
  L.push('Targets: ' + r.targets.map((t) => `**${t.name}** = ${t.label}`).join('; ') + '.', '');

  L.push('## Device event -> alarm on the call-centre stream', '');
  L.push(
    'SOS press (`button.pressed`, QoS 1) published by a call button while the telemetry load runs -> `alarm.raised` for that bed on `GET /api/alarms/stream` (SSE), both clocks in the generator process. Per window the p50/p99/p99.9 of that window; cells are median (min–max) over windows. With fewer than 1,000 presses per window p99.9 equals the window maximum.',
    '',
  );
  L.push(
    '| target | beds | presses | raised | p50 ms | p99 ms | p99.9 ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const t of r.targets.filter((x) => x.name.startsWith('hub'))) {
    for (const s of t.steps) {
      if (!s.sos) continue;
      if ('unavailable' in s.sos)
        L.push(`| ${t.name} | ${s.beds} | – | – | not available: ${s.sos.unavailable} | | | |`);
      else
        L.push(
          `| ${t.name} | ${s.beds} | ${s.sos.presses} | ${s.sos.matched} | ${f(s.sos.p50Ms)} | ${f(s.sos.p99Ms)} | ${f(s.sos.p999Ms)} | ${f(s.sos.maxMs)} |`,
        );
    }
  }
  L.push('');

  L.push('## Ratios', '');
  L.push(
    'CPU per message of the hub ÷ the relay at the same step and QoS (server process only; hub-prod also pays PostgreSQL/InfluxDB CPU, shown separately above). Sustained throughput = delivered msg/s at the largest non-breaking step.',
    '',
  );
  L.push(
    '| hub | QoS | beds | hub µs/msg | aedes µs/msg | mosquitto µs/msg | hub ÷ aedes | hub ÷ mosquitto |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  const sus: string[] = [];
  for (const [key, v] of Object.entries(r.ratios)) {
    const [hub, q] = key.split('.');
    for (const row of v.cpuPerMessage)
      L.push(
        `| ${hub} | ${q.slice(3)} | ${row.beds} | ${row.hubCpuUsPerMsg !== null ? fmt(row.hubCpuUsPerMsg) : '–'}${row.hubBroken ? ' (broken)' : ''} | ${row.aedesCpuUsPerMsg !== null ? fmt(row.aedesCpuUsPerMsg) : '–'} | ${row.mosquittoCpuUsPerMsg !== null ? fmt(row.mosquittoCpuUsPerMsg) : '–'} | ${row.hubOverAedes ?? '–'} | ${row.hubOverMosquitto ?? '–'} |`,
      );
    const s = v.sustained;
    sus.push(
      `| ${hub} | ${q.slice(3)} | ${s.hub ? `${fmt(s.hub.throughput)} (${s.hub.beds} beds)` : 'none'} | ${s.aedes ? `${fmt(s.aedes.throughput)} (${s.aedes.beds})` : '–'} | ${s.mosquitto ? `${fmt(s.mosquitto.throughput)} (${s.mosquitto.beds})` : '–'} | ${v.throughputHubOverAedes ?? '–'} | ${v.throughputHubOverMosquitto ?? '–'}${v.mosquittoAtLadderTop ? ' (mosquitto did not break: upper bound)' : ''} |`,
    );
  }
  L.push(
    '',
    '| hub | QoS | hub sustained msg/s | aedes sustained | mosquitto sustained | hub ÷ aedes | hub ÷ mosquitto |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...sus,
    '',
  );

  L.push('## Memory per idle connection', '');
  L.push(
    'Before each step the server gets a full GC (node servers run with `--expose-gc` and the bench preload `bench/gc-on-signal.ts`, which calls `gc()` on SIGWINCH and reports `process.memoryUsage()`; the hub itself has no GC endpoint), then VmRSS is read from /proc. The generator connects all devices (each subscribes to its `errors` and `acks` topics) and sends one unmeasured warm-up round (so a hub has loaded the rules and state of every bed, which counts here), they idle for the hold time, the server is GC-ed again and read again. Per connection = delta ÷ connections. RSS deltas include allocator/heap growth that GC does not return to the OS; "heap+external" is the V8 view after GC. Mosquitto: RSS only, no GC.',
    '',
  );
  L.push(
    '| target | beds (connections) | RSS before | RSS after | RSS per connection | heap+external per connection |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const t of r.targets)
    for (const s of t.steps)
      if (s.memory)
        L.push(
          `| ${t.name} | ${s.connections} | ${(s.memory.before / 2 ** 20).toFixed(1)} MiB | ${(s.memory.after / 2 ** 20).toFixed(1)} MiB | ${kb(s.memory.bytesPerConnection)} | ${s.memory.heapBytesPerConnection !== null ? kb(s.memory.heapBytesPerConnection) : '–'} |`,
        );
  L.push('');

  L.push('## InfluxDB write throughput and spool', '');
  if (r.influxWrite) {
    const w = r.influxWrite.runs[0];
    L.push(
      `InfluxTelemetryStore -> influxd ${w?.influxd} (bench/influx-write.bench.ts): ${w?.points.toLocaleString('en-US')} points per run, batch ${w?.batchSize}, ${w?.maxInFlight} writes in flight, ${w?.pointsPerWriteCall} points per write() call; ${r.influxWrite.runs.length} runs, each on a fresh influxd: **${f(r.influxWrite.pointsPerSecond)} points/s**; every point counted back: ${r.influxWrite.runs.every((x) => x.counted === x.points) ? 'yes' : 'NO'}.`,
      '',
    );
  } else L.push('InfluxDB write throughput: not run.', '');
  if (r.spool && 'error' in r.spool) L.push(`Spool test failed: ${r.spool.error}`, '');
  else if (r.spool) {
    const s = r.spool;
    L.push(
      `Spool under load (hub-prod, ${s.beds} beds at 1 msg/s QoS 1, 35 s): influxd SIGKILLed 5 s into the window and restarted after ${(s.outageMs / 1000).toFixed(1)} s. Peak \`bedside_telemetry_spool_depth_points\` **${s.peakSpoolPoints.toLocaleString('en-US')} points** (${kb(s.peakSpoolBytes)}); caught up (depth back to 0) **${s.catchUpMs === null ? 'not within 60 s' : `${(s.catchUpMs / 1000).toFixed(1)} s`} after influxd was back**; devices saw loss ${(s.lossRatio * 100).toFixed(3)} %, PUBACK p99 ${s.p99Ms} ms; points written during the run ${s.pointsWrittenDuringRun.toLocaleString('en-US')}.`,
      '',
    );
    L.push(
      'Spool depth over time (s: points): ' + s.series.map(([t, d]) => `${(t / 1000).toFixed(0)}: ${d}`).join(', '),
      '',
    );
  } else L.push('Spool test: not run.', '');

  L.push('## Profile of the hot path', '');
  if (r.profiles.length === 0) L.push('Not run.', '');
  for (const p of r.profiles) {
    const s = p.summary;
    const ld = p.load;
    L.push(
      `### ${p.target} at ${p.beds} beds (QoS 1 profile run: ${ld ? `${ld.sent} messages, PUBACK p99 ${ld.latencyMs?.p99} ms with the profiler on` : 'load summary missing'})`,
      '',
    );
    L.push(
      `CPU profile of a steady QoS 1 window only, sampled through the inspector (bench/profile-on-signal.ts) from 5 s after the window began (${(s.durationMs / 1000).toFixed(1)} s; the hub's main thread was busy ${(s.busyMs / 1000).toFixed(1)} s of it; start-up, provisioning, connects and the profiler's own work excluded); profile: \`${s.file}\`. Self time by area, % of busy time:`,
      '',
    );
    L.push(
      '| area | self ms | % |',
      '| --- | ---: | ---: |',
      ...s.areas.map((a) => `| ${a.area} | ${a.selfMs} | ${a.pctOfBusy} |`),
      '',
    );
    L.push(
      'Top self-time functions:',
      '',
      '| function | where | area | self ms | % |',
      '| --- | --- | --- | ---: | ---: |',
      ...s.topSelf.slice(0, 15).map((x) => `| \`${x.fn}\` | ${x.where} | ${x.area} | ${x.selfMs} | ${x.pctOfBusy} |`),
      '',
    );
    L.push(
      'Our code, inclusive time (parse -> validate -> store -> evaluate -> publish):',
      '',
      '| function | where | total ms | % |',
      '| --- | --- | ---: | ---: |',
      ...s.topOurInclusive.slice(0, 12).map((x) => `| \`${x.fn}\` | ${x.where} | ${x.totalMs} | ${x.pctOfBusy} |`),
      '',
    );
  }
  L.push(...renderCluster(r.cluster));
  L.push(...renderDeviceFairness(r.deviceFairness));
  L.push('## Realistic nights', '');
  if (r.corpus) L.push(...renderCorpus(r.corpus), '', REALISTIC_NIGHTS_HOWTO, '');
  else L.push('Not run in this benchmark (`--no-corpus` or `--quick`).', '', REALISTIC_NIGHTS_HOWTO, '');
  if (r.notes.length) L.push('## Run notes', '', ...r.notes.map((n) => `- ${n}`), '');
  L.push('## How to reproduce', '');
  L.push(
    '```sh',
    'npm run bench                                   # build + full run (~25 min), writes bench/results/<timestamp>.json and this file',
    'node dist/bench/run-all.js --quick --no-docs     # CI smoke (also: test/bench-smoke.e2e-spec.ts)',
    'node dist/bench/run-all.js --targets hub-prod,mosquitto --steps 500,1000 --runs 5 --window 10',
    'node dist/bench/influx-write.bench.js 500000     # InfluxDB write throughput alone',
    'node dist/bench/device-fairness.bench.js --docs  # device fairness alone; replaces its section here',
    'node dist/bench/run-all.js --cluster              # adds the cluster case (opt-in, ~6 min at 1,000 beds)',
    'node dist/bench/cluster.bench.js --beds 2000 --docs  # cluster case alone; replaces its section here',
    '```',
    '',
  );
  L.push(
    'Needs /usr/sbin/mosquitto, /usr/bin/influxd (1.6) and PostgreSQL (/usr/lib/postgresql/*/bin). Run as root (or with a high hard `nofile` limit) for steps above ~9,000 connections: the suite raises its own RLIMIT_NOFILE with `prlimit` and the servers and generator inherit it. Absolute numbers drift on shared machines; compare the ratios.',
    '',
  );
  return L.join('\n');
}
