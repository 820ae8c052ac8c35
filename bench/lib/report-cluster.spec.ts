import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterBenchResult } from '../cluster.bench';
import { CLUSTER_HEADING, renderCluster } from './report';

// The corpus case loads its command line (an ES module) when imported; these figures do not need it.
jest.mock('../corpus.bench', () => ({ renderCorpus: () => [] }));

/** A real run's figures (2,000 beds, two kills), so the table is rendered from what the bench writes. */
const recorded = (): ClusterBenchResult =>
  (
    JSON.parse(readFileSync(join(__dirname, '../results/2026-12-05T02-23-50-378Z-cluster.json'), 'utf8')) as {
      result: ClusterBenchResult;
    }
  ).result;

describe('cluster section of docs/benchmarks.md', () => {
  it('puts single node and cluster side by side with the ratios and the verdict of each target', () => {
    const md = renderCluster(recorded(), 'From a lone run.').join('\n');
    expect(md.startsWith(`${CLUSTER_HEADING}\n`)).toBe(true);
    expect(md).toContain('| QoS 1 CPU µs/msg: hubs | 123 (123–125) | 255 (254–279) | 2.07× | ≤ 1.25×: **missed** |');
    expect(md).toContain('| SOS -> console p99 ms | 63.4 (9.9–321) | 49.3 (26.0–58.4) | 0.78× | ≤ 100 ms: **met** |');
    expect(md).toContain('| NATS messages published per device message stored | – | 0.69 |');
    expect(md).toMatch(/\| 1 \| hub-1 \| 22 \| 725 \| \d+ \| 4 of 4 \| 369, 2357, 349, 376 \|/);
    expect(md).toContain('**within 6 s**');
    expect(md).toContain('8 of 8, p50 397 ms, p99 2978 ms, max 2978 ms: **within 10 s**');
    expect(md).toContain('10⁶ × 0.7 ÷ 255 ≈ **2,745 beds**; 23,000 beds need 9 nodes, **10 with one spare (N+1)**');
    expect(md).toContain('From a lone run.');
  });

  it('says a target is missed when a press stays off the console or a takeover is slow, and met when CPU is within 1.25×', () => {
    const r = recorded();
    r.cpuRatio.qos1.hubs = 1.2;
    r.takeover = { ...r.takeover, seen: r.takeover.presses - 1 };
    r.takeover.movedMs = { median: 5000, min: 4000, max: 6500, n: 2 };
    const md = renderCluster(r).join('\n');
    expect(md).toContain('1.20× | ≤ 1.25×: **met** |');
    expect(md).toContain('**not within 6 s**');
    expect(md).toContain("SOS from the killed node's devices on the console: 7 of 8");
    expect(md).toContain('**not within 10 s**');
  });

  it("shows the single hub at a node's share of the beds next to the cluster, with its own ratio", () => {
    const r = recorded();
    expect(renderCluster(r).join('\n')).not.toContain("a node's share");
    const share = structuredClone(r.single!);
    share.beds = 667;
    share.qos.find((x) => x.qos === 1)!.serverCpuUsPerMsg = { median: 204, min: 200, max: 210, n: 3 };
    r.singleShare = share;
    r.shareRatio = { qos0: { hubs: null, total: null }, qos1: { hubs: 1.25, total: 1.5 } };
    const md = renderCluster(r).join('\n');
    expect(md).toContain(
      "| QoS 1 CPU µs/msg: hubs; single node at a node's share (667 beds) | 204 (200–210) | 255 (254–279) | 1.25× |",
    );
    expect(md).toMatch(
      /\| QoS 0 CPU µs\/msg: hubs; single node at a node's share \(667 beds\) \| [^|]+ \| 263 \(235–347\) \| – \|/,
    );
  });

  it("shows the hubs' garbage collection per message where the run measured it, a dash where it did not", () => {
    const r = recorded();
    expect(renderCluster(r).join('\n')).toContain(
      '| hubs: garbage collection µs/msg (V8), QoS 0 / QoS 1 | – / – | – / – |',
    );
    r.cluster!.qos.find((x) => x.qos === 1)!.serverGcUsPerMsg = { median: 13.6, min: 12, max: 15, n: 3 };
    expect(renderCluster(r).join('\n')).toContain(
      '| hubs: garbage collection µs/msg (V8), QoS 0 / QoS 1 | – / – | – / 13.6 (12.0–15.0) |',
    );
  });

  it("shows the hubs' main-thread wake-ups per message where the run counted them", () => {
    const r = recorded();
    expect(renderCluster(r).join('\n')).toContain(
      '| hubs: main-thread wake-ups per message (voluntary context switches), QoS 0 / QoS 1 | – / – | – / – |',
    );
    r.single!.qos.find((x) => x.qos === 1)!.serverWakeupsPerMsg = { median: 0.62, min: 0.6, max: 0.7, n: 3 };
    r.cluster!.qos.find((x) => x.qos === 1)!.serverWakeupsPerMsg = { median: 1.04, min: 1.04, max: 1.04, n: 3 };
    expect(renderCluster(r).join('\n')).toContain(
      '| hubs: main-thread wake-ups per message (voluntary context switches), QoS 0 / QoS 1 | – / 0.62 (0.60–0.70) | – / 1.0 |',
    );
  });

  it("shows what a thinner load alone costs a relay: one process at all beds, at a node's share, and the ratio", () => {
    const r = recorded();
    const step = (qos1Cpu: number) => ({
      ...r.single!,
      qos: r.single!.qos.map((x) => ({
        ...x,
        serverCpuUsPerMsg: { median: x.qos === 1 ? qos1Cpu : 50, min: 0, max: 0, n: 1 },
      })),
    });
    expect(renderCluster(r).join('\n')).not.toContain('alone (a relay');
    r.relays = { aedes: { full: step(60), share: step(90) } };
    expect(renderCluster(r).join('\n')).toContain(
      "| QoS 1 CPU µs/msg: aedes alone (a relay: no hub code, no cluster), one process at all beds / at a node's share | 60.0 | 90.0 | 1.50× |  |",
    );
  });

  it('says the case was not run when the results have none', () => {
    expect(renderCluster(null).join('\n')).toContain('Not run in this benchmark (opt-in: `--cluster`).');
  });
});
