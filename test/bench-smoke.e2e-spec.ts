import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * CI smoke of the benchmark suite: `run-all --quick` against the embedded hub and
 * bare aedes with a tiny fleet, so the suite never rots. Needs `npm run build` first (the e2e
 * script builds). Asserts well-formed results, positive numbers and zero loss at that load.
 */
const RUN_ALL = join(__dirname, '../dist/bench/run-all.js');

describe('bench smoke (run-all --quick)', () => {
  let out: string;
  let results: any;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'bedside-bench-smoke-'));
    const run = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [RUN_ALL, '--quick', '--no-docs', '--targets', 'hub-embedded,aedes', '--out', out],
        { timeout: 90_000, env: { PATH: process.env.PATH ?? '' } },
        (err, _stdout, stderr) => {
          resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stderr });
        },
      );
    });
    if (run.code !== 0) throw new Error(`run-all --quick failed (${run.code}):\n${run.stderr.slice(-4000)}`);
    const file = readdirSync(out).find((f) => f.endsWith('.json'));
    if (!file) throw new Error(`no results JSON in ${out}:\n${run.stderr.slice(-2000)}`);
    results = JSON.parse(readFileSync(join(out, file), 'utf8'));
  }, 100_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('describes the machine and the settings', () => {
    expect(results.version).toBe(1);
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.machine.node).toMatch(/^v\d+/);
    expect(results.options.quick).toBe(true);
    expect(results.targets.map((t: any) => t.name)).toEqual(['hub-embedded', 'aedes']);
  });

  it.each(['hub-embedded', 'aedes'])(
    '%s: delivers every message with positive throughput, latency and CPU per message',
    (name) => {
      const t = results.targets.find((x: any) => x.name === name);
      expect(t.error).toBeUndefined();
      expect(t.steps.length).toBeGreaterThanOrEqual(1);
      const step = t.steps[0];
      expect(step.error).toBeUndefined();
      expect(step.connections).toBe(step.beds);
      expect(step.connectFailures).toBe(0);
      expect(step.broken).toBeNull();
      for (const qos of [0, 1]) {
        const q = step.qos.find((x: any) => x.qos === qos);
        expect(q.windows).toBeGreaterThanOrEqual(3);
        expect(q.throughputPerSec.median).toBeGreaterThan(0);
        expect(q.lossRatio.max).toBe(0);
        // /proc counts CPU in 10 ms ticks: bare aedes relays the smoke's 30 messages a window in
        // about a millisecond, often inside one tick, so only the hub must show a positive figure.
        expect(Number.isFinite(q.serverCpuUsPerMsg.median)).toBe(true);
        if (name === 'hub-embedded') expect(q.serverCpuUsPerMsg.median).toBeGreaterThan(0);
        else expect(q.serverCpuUsPerMsg.median).toBeGreaterThanOrEqual(0);
        if (qos === 1) {
          expect(q.p50Ms.median).toBeGreaterThan(0);
          expect(q.p99Ms.median).toBeGreaterThanOrEqual(q.p50Ms.median);
        }
      }
      expect(step.memory.after).toBeGreaterThan(0);
    },
  );

  it('times SOS presses to alarm.raised on the hub stream (or says why not)', () => {
    const sos = results.targets.find((x: any) => x.name === 'hub-embedded').steps[0].sos;
    if ('unavailable' in sos) {
      expect(sos.unavailable).toMatch(/alarm stream/);
    } else {
      expect(sos.presses).toBeGreaterThan(0);
      expect(sos.matched).toBe(sos.presses);
      expect(sos.p50Ms.median).toBeGreaterThan(0);
    }
  });

  it('computes the hub ÷ aedes CPU ratio', () => {
    const r = results.ratios['hub-embedded.qos1'];
    expect(r.cpuPerMessage[0].hubOverAedes).toBeGreaterThan(0);
  });
});
