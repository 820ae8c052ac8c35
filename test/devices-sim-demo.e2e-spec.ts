import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitFor } from '@bedside/testing';

/**
 * The demo: one command starts the built hub and a small fleet with scripted
 * incidents, and alarms arrive within a minute. Smoke test of `devices-sim demo --duration 40`:
 * while it runs, the printed operator signs in over REST and sees alarms of the demo organisation;
 * at the end the summary reports the three scripted incidents raised, the hub is stopped and the
 * temporary data directory removed.
 */
const BIN = join(__dirname, '../devices-sim/bin/devices-sim.js');

type Json = Record<string, any>;

it('demo --duration 40: hub + fleet + scripted incidents, alarms visible to the printed operator, clean stop', async () => {
  const httpPort = await freePort();
  const mqttPort = await freePort();
  const t0 = Date.now();
  const child = spawn(
    process.execPath,
    [BIN, 'demo', '--duration', '40', '--http-port', String(httpPort), '--mqtt-port', String(mqttPort), '--json'],
    {
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d.toString()));
  child.stderr.on('data', (d) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const lines = () =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Json);

  try {
    // The demo prints where the hub is and who to sign in as.
    const hub = await waitFor(() => lines().find((l) => l.type === 'hub'), {
      timeoutMs: 90_000,
      intervalMs: 200,
      what: `demo "hub" record (stderr: ${stderr.slice(-500)})`,
    });
    expect(hub).toMatchObject({
      consoleUrl: `http://localhost:${httpPort}`,
      httpUrl: `http://127.0.0.1:${httpPort}`,
      mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
      operator: { username: 'demo', password: 'demo-lantern-harbour' },
      admin: { username: 'admin', password: expect.stringMatching(/.{8,}/) },
    });
    const home = await fetch(`${hub.httpUrl}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toMatch(/<html/i);

    // Before the duration ends: the operator signs in and sees alarms arrive in the queue.
    const login = await fetch(`${hub.httpUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(hub.operator),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const seen = await waitFor(
      async () => {
        const res = await fetch(`${hub.httpUrl}/api/alarms`, { headers: { authorization: `Bearer ${token}` } });
        const body = (await res.json()) as Json[];
        return res.status === 200 && body.length >= 3 ? body : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 500, what: 'the operator to see the scripted alarms' },
    );
    expect(seen.map((a) => a.kind).sort()).toEqual(expect.arrayContaining(['fall', 'heart_rate', 'sos']));
    expect(Date.now() - t0).toBeLessThan(90_000);

    const code = await exited;
    const all = lines();
    const summary = all.at(-1)!;
    expect({ code, reason: summary.reason }).toEqual({ code: 0, reason: null });
    expect(summary).toMatchObject({ type: 'summary', command: 'demo', ok: true });
    expect(summary.alarmsRaised).toBeGreaterThanOrEqual(1);
    expect(summary.incidents).toEqual([
      expect.objectContaining({
        name: 'SOS press',
        alarm: expect.objectContaining({ kind: 'sos', severity: 'critical' }),
      }),
      expect.objectContaining({ name: 'fall', alarm: expect.objectContaining({ kind: 'fall', severity: 'critical' }) }),
      expect.objectContaining({
        name: 'bradycardia',
        alarm: expect.objectContaining({ kind: 'heart_rate', severity: 'critical' }),
      }),
    ]);
    // The fall and bradycardia beds got the scenarios' shortened rules, printed.
    expect(
      all
        .filter((l) => l.type === 'rules')
        .map((l) => l.changed.map((c: Json) => c.path))
        .flat(),
    ).toEqual(expect.arrayContaining(['fall.cancelWindowMs', 'heartRate.critical.forMs']));
    // Clean stop: the hub is gone and the temporary data directory removed.
    await expect(fetch(`${hub.httpUrl}/health`)).rejects.toThrow();
    expect(existsSync(hub.dataDir)).toBe(false);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  }
}, 150_000);
