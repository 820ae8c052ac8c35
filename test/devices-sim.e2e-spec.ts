import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { freePort, hubApi, startHub, type HubProcess } from '@bedside/testing';

const BIN = join(__dirname, '../devices-sim/bin/devices-sim.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the compiled CLI as a user would, with stdout piped (so: plain lines, no colour). */
function sim(args: string[], timeoutMs = 30_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { timeout: timeoutMs, env: { PATH: process.env.PATH ?? '' } },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : -1
          : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const jsonLines = (s: string) =>
  s
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, any>);

describe('devices-sim against a running hub (real TCP)', () => {
  let hub: HubProcess;
  let common: string[];
  let devices: Record<
    'mattress' | 'button' | 'wearable',
    { device: { id: string }; credentials: { deviceId: string; mqtt: { password: string } } }
  >;

  beforeAll(async () => {
    hub = await startHub();
    common = ['--hub', hub.httpUrl, '--mqtt', hub.mqttUrl, '--admin', `${hub.admin.username}:${hub.admin.password}`];
    devices = (await hubApi(hub).provisionBed('sim e2e')).devices;
  }, 60_000);

  afterAll(async () => {
    await hub?.dispose();
  });

  for (const kind of ['mattress', 'button', 'wearable'] as const) {
    it(`check passes for a ${kind}, the test alarm reaching the call-centre stream`, async () => {
      const c = devices[kind].credentials;
      const r = await sim([
        'check',
        ...common,
        '--device-id',
        c.deviceId,
        '--secret',
        c.mqtt.password,
        '--kind',
        kind,
        '--json',
      ]);
      const lines = jsonLines(r.stdout);
      const steps = lines.filter((l) => l.type === 'step');
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(steps.map((s) => s.step)).toEqual([
        'connect',
        'subscribe',
        'status',
        'telemetry',
        'event',
        'bad-message',
        'alarm',
      ]);
      expect(steps.slice(0, 6).every((s) => s.status === 'pass')).toBe(true);
      if (kind === 'mattress')
        expect(steps[6]).toMatchObject({ status: 'skip', detail: expect.stringMatching(/mattress cannot raise/) });
      else
        expect(steps[6]).toMatchObject({
          status: 'pass',
          detail: expect.stringMatching(/sos alarm .* reached the call centre, then was resolved as a test/),
        });
      expect(lines.at(-1)).toMatchObject({ type: 'summary', ok: true, failed: 0 });
    }, 90_000);
  }

  it('check with a wrong secret fails at the connect step, naming it and the CONNACK code', async () => {
    const c = devices.button.credentials;
    const r = await sim([
      'check',
      ...common,
      '--device-id',
      c.deviceId,
      '--secret',
      'not-the-secret',
      '--kind',
      'button',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL connect \+ authenticate .*CONNACK return code 4/);
    expect(r.stdout).toMatch(/FAILED at step "connect \+ authenticate"/);
  });

  it('check against a stopped hub exits 3, naming the step', async () => {
    const dead = await freePort();
    const c = devices.button.credentials;
    const r = await sim([
      'check',
      '--hub',
      `http://127.0.0.1:${dead}`,
      '--mqtt',
      `mqtt://127.0.0.1:${dead}`,
      '--device-id',
      c.deviceId,
      '--secret',
      c.mqtt.password,
      '--kind',
      'button',
    ]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/FAILED at step "connect \+ authenticate": hub unreachable: .*ECONNREFUSED/);
  });

  it('scenario malformed prints the error the hub returns for every bad payload', async () => {
    const r = await sim(['scenario', 'malformed', ...common, '--json']);
    const lines = jsonLines(r.stdout);
    const answered = lines.filter((l) => l.type === 'sent' && 'received' in l);
    expect(r.code).toBe(0);
    expect(answered.length).toBeGreaterThanOrEqual(10);
    expect(answered.every((l) => l.received === l.expected)).toBe(true);
    expect(new Set(answered.map((l) => l.received))).toEqual(
      new Set(['MALFORMED_JSON', 'INVALID_PAYLOAD', 'EVENT_NOT_ALLOWED', 'TOPIC_NOT_ALLOWED']),
    );
    expect(lines.at(-1)).toMatchObject({ type: 'summary', scenario: 'malformed', verdict: 'pass' });
  });

  it('fleet --beds 3 --duration 5 streams telemetry and gets it acknowledged', async () => {
    const r = await sim(['fleet', ...common, '--beds', '3', '--duration', '5', '--json']);
    const summary = jsonLines(r.stdout).find((l) => l.type === 'summary')!;
    expect(r.code).toBe(0);
    expect(summary).toMatchObject({ command: 'fleet', ok: true, devices: 9, errors: 0, failed: 0 });
    expect(summary.sent).toBeGreaterThanOrEqual(9 * 4);
    expect(summary.acked).toBe(summary.sent);
  }, 60_000);

  it('load --beds 20 --rate 1 --duration 3 --qos 1 --json reports zero loss and latency percentiles', async () => {
    const r = await sim(['load', ...common, '--beds', '20', '--rate', '1', '--duration', '3', '--qos', '1', '--json']);
    const summary = jsonLines(r.stdout).find((l) => l.type === 'summary')!;
    expect(r.code).toBe(0);
    expect(summary).toMatchObject({
      command: 'load',
      ok: true,
      devices: 60,
      sent: 180,
      acked: 180,
      lost: 0,
      failed: 0,
    });
    expect(summary.latencyMs.count).toBe(180);
    expect(summary.latencyMs.p99).toBeGreaterThan(0);
  }, 60_000);

  it('usage errors exit 2', async () => {
    expect((await sim(['scenario', 'no-such-scenario', ...common])).code).toBe(2);
    expect((await sim(['fleet', '--beds', 'many'])).code).toBe(2);
  });
});
