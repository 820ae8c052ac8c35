import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { hubApi, startHub, type HubProcess } from '@bedside/testing';

/**
 * Each scenario raises the alarm it promises on a running hub (end to end, real TCP):
 * one built hub, every scenario run by the compiled CLI as a child process with --fast-rules (its
 * bed gets an override shortening the scenario's hold times to a few seconds), all at once, each
 * on its own bed. The CLI's JSON output must report the promised alarm (kind + severity, and the
 * device for device-scoped kinds) as seen on GET /api/alarms/stream; the hub's REST must agree.
 */
const BIN = join(__dirname, '../devices-sim/bin/devices-sim.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

type Json = Record<string, any>;

const jsonLines = (s: string): Json[] =>
  s
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Json);

function sim(args: string[], timeoutMs = 90_000): Promise<Run> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { PATH: process.env.PATH ?? '' } },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : null
          : 0;
        resolve({ code, stdout, stderr, ms: Date.now() - t0 });
      },
    );
  });
}

interface Case {
  title: string;
  args: string[];
  /** The promised alarm; null: none of `noneOf` may be raised; 'errors': malformed. */
  alarm: { kind: string; severity: string; device?: 'mattress' | 'button' | 'wearable' } | null | 'errors';
  noneOf?: string;
  /** Fields --fast-rules must have changed on the bed (empty: nothing to shorten). */
  changes: string[];
}

const CASES: Case[] = [
  { title: 'fall', args: ['fall'], alarm: { kind: 'fall', severity: 'critical' }, changes: ['fall.cancelWindowMs'] },
  {
    title: 'fall --cancelled',
    args: ['fall', '--cancelled'],
    alarm: null,
    noneOf: 'fall',
    changes: ['fall.cancelWindowMs'],
  },
  {
    title: 'night-absence',
    args: ['night-absence'],
    alarm: { kind: 'bed_exit', severity: 'major' },
    changes: ['bedExit.returnWithinMs', 'presence.returnDebounceMs'],
  },
  {
    title: 'bradycardia',
    args: ['bradycardia'],
    alarm: { kind: 'heart_rate', severity: 'critical' },
    changes: [
      'suppression.warmupMs',
      'artefacts.settleAfterInBedMs',
      'artefacts.jumpConfirmMs',
      'heartRate.critical.forMs',
      'heartRate.major.forMs',
    ],
  },
  {
    title: 'tachycardia',
    args: ['tachycardia'],
    alarm: { kind: 'heart_rate', severity: 'critical' },
    changes: [
      'suppression.warmupMs',
      'artefacts.settleAfterInBedMs',
      'artefacts.jumpConfirmMs',
      'heartRate.critical.forMs',
      'heartRate.major.forMs',
    ],
  },
  {
    title: 'apnea',
    args: ['apnea'],
    alarm: { kind: 'apnea', severity: 'critical' },
    changes: [
      'suppression.warmupMs',
      'artefacts.settleAfterInBedMs',
      'artefacts.jumpConfirmMs',
      'apnea.critical.forMs',
    ],
  },
  {
    title: 'low-spo2',
    args: ['low-spo2'],
    alarm: { kind: 'spo2', severity: 'major' },
    changes: ['suppression.warmupMs', 'spo2.major.forMs'],
  },
  { title: 'sos', args: ['sos'], alarm: { kind: 'sos', severity: 'critical' }, changes: [] },
  {
    title: 'low-battery',
    args: ['low-battery'],
    alarm: { kind: 'low_battery', severity: 'warning', device: 'button' },
    changes: [],
  },
  {
    title: 'offline-lwt',
    args: ['offline-lwt'],
    alarm: { kind: 'device_offline', severity: 'minor', device: 'wearable' },
    changes: ['deviceOffline.graceMs'],
  },
  {
    title: 'offline-silence',
    args: ['offline-silence'],
    alarm: { kind: 'device_offline', severity: 'minor', device: 'wearable' },
    changes: ['deviceOffline.silentAfterMs'],
  },
  { title: 'malformed', args: ['malformed'], alarm: 'errors', changes: [] },
];

let hub: HubProcess;
const runs = new Map<string, Promise<Run>>();

beforeAll(async () => {
  hub = await startHub();
  const common = [
    '--fast-rules',
    '--json',
    '--hub',
    hub.httpUrl,
    '--mqtt',
    hub.mqttUrl,
    '--admin',
    `${hub.admin.username}:${hub.admin.password}`,
  ];
  // All at once: each scenario provisions its own bed (and organisation), so they cannot see each other's alarms.
  for (const c of CASES) runs.set(c.title, sim(['scenario', ...c.args, ...common]));
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(runs.values());
  await hub?.dispose();
});

describe('devices-sim scenario --fast-rules against a running hub (real TCP)', () => {
  for (const c of CASES) {
    it(`${c.title}: ${c.alarm === 'errors' ? 'the matching error for every bad payload' : c.alarm ? `raises ${c.alarm.kind} (${c.alarm.severity})${c.alarm.device ? ` for the ${c.alarm.device}` : ''}` : `raises no ${c.noneOf} alarm`}`, async () => {
      const r = await runs.get(c.title)!;
      const lines = jsonLines(r.stdout);
      const summary = lines.at(-1)!;
      const plan = lines.find((l) => l.type === 'plan')!;
      expect({ code: r.code, stderr: r.stderr, verdict: summary?.verdict, reason: summary?.reason }).toEqual({
        code: 0,
        stderr: '',
        verdict: 'pass',
        reason: expect.any(String),
      });
      expect(summary).toMatchObject({ type: 'summary', command: 'scenario', ok: true });
      expect(plan).toMatchObject({ fastRules: true, bedId: summary.bedId });

      // --fast-rules printed exactly what it changed on the bed, and only for this scenario's holds.
      const rules = lines.find((l) => l.type === 'rules')!;
      expect(rules.bedId).toBe(summary.bedId);
      expect(rules.changed.map((x: Json) => x.path).sort()).toEqual([...c.changes].sort());
      for (const x of rules.changed) expect(x.to).toBeLessThan(x.from);
      for (const x of rules.changed) if (x.path.endsWith('Ms')) expect(x.to).toBeLessThanOrEqual(6_000);
      if (c.changes.length) {
        const effective = (await hubApi(hub).get(`/api/beds/${summary.bedId}/rules/effective`)).body.ruleSet;
        for (const x of rules.changed)
          expect(x.path.split('.').reduce((o: Json, k: string) => o?.[k], effective)).toBe(x.to);
      }

      const seen = lines.filter((l) => l.type === 'alarm');
      if (c.alarm === 'errors') {
        const answered = lines.filter((l) => l.type === 'sent' && 'received' in l);
        expect(answered.length).toBe(12);
        expect(answered.every((l) => l.received === l.expected)).toBe(true);
        expect(seen).toEqual([]);
      } else if (c.alarm === null) {
        expect(summary.expect).toMatchObject({ type: 'no-alarm', kind: c.noneOf });
        expect(seen.filter((a) => a.kind === c.noneOf)).toEqual([]);
        expect(summary.matched).toBeNull();
        // The hub recorded the cancel, and no alarm exists for the bed.
        const actions = (await hubApi(hub).get(`/api/beds/${summary.bedId}/rule-actions`)).body as Json[];
        expect(actions).toContainEqual(expect.objectContaining({ type: 'cancelled', kind: c.noneOf, raised: false }));
        expect(
          (await hubApi(hub).get(`/api/alarms?bedId=${summary.bedId}`)).body.filter((a: Json) => a.kind === c.noneOf),
        ).toEqual([]);
      } else {
        const promised = { kind: c.alarm.kind, severity: c.alarm.severity, bedId: summary.bedId };
        expect(summary.expect).toMatchObject({
          type: 'alarm',
          kind: c.alarm.kind,
          severity: c.alarm.severity,
          ...(c.alarm.device && { device: c.alarm.device }),
        });
        expect(summary.matched).toMatchObject(promised);
        // Seen on the stream (the CLI prints each alarm.raised event for its bed as it arrives).
        expect(seen).toContainEqual(expect.objectContaining({ ...promised, id: summary.matched.id }));
        if (c.alarm.device) expect(summary.matched.subject).toMatch(new RegExp(`^${c.alarm.device}-`));
        // And the hub stored it.
        const stored = (await hubApi(hub).get(`/api/alarms/${summary.matched.id}`)).body;
        expect(stored.alarm).toMatchObject({ id: summary.matched.id, ...promised });
      }
    }, 120_000);
  }

  it('the whole set ran concurrently, well under 3 minutes', async () => {
    const all = await Promise.all(runs.values());
    expect(Math.max(...all.map((r) => r.ms))).toBeLessThan(90_000);
  }, 120_000);
});
