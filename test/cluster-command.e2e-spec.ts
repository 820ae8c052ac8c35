import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { eventsTopic } from '@bedside/contracts';
import { hubApi, waitFor } from '@bedside/testing';
import { openAlarmStream } from '../libs/alarms/src/testing/alarm-stream-client';
import { connectDevice, type Creds } from './mqtt-helpers';

/**
 * `npm run cluster` (devices-sim cluster, built): PostgreSQL, NATS, three hubs and HAProxy on
 * loopback. A device connects through HAProxy, presses SOS, and the console stream (also
 * through HAProxy) shows the alarm; SIGINT then stops every process and removes the folder.
 */
jest.setTimeout(240_000);

const BIN = join(resolve(__dirname, '..'), 'devices-sim/bin/devices-sim.js');
const accepts = (port: number) =>
  new Promise<boolean>((r) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), r(true)));
    s.once('error', () => r(false));
  });

describe('npm run cluster', () => {
  let proc: ChildProcess;
  let out = '';
  const field = (name: string) => new RegExp(`^${name}:\\s+(\\S+)`, 'm').exec(out)?.[1];

  // A failed assertion still stops the topology the command's way: its processes run in their
  // own process groups and would outlive a SIGKILL of the command.
  afterAll(async () => {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGINT');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
    await exited;
    clearTimeout(timer);
  });

  it('starts the topology, carries an SOS through HAProxy to the stream, and stops cleanly on Ctrl-C', async () => {
    const startedAt = Date.now();
    proc = spawn(process.execPath, [BIN, 'cluster', '--nodes', '3', '--lease-ttl-ms', '3000'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(
      () => {
        if (proc.exitCode !== null) throw new Error(`cluster exited ${proc.exitCode}:\n${out}`);
        return /cluster ready \(3 nodes\)/.test(out);
      },
      { timeoutMs: 180_000, intervalMs: 200, what: 'the cluster to be ready' },
    );
    const startMs = Date.now() - startedAt;
    const consoleUrl = field('console')!.replace(/\/$/, '');
    const mqttUrl = field('mqtt')!;
    const [username, password] = /^admin:\s+(\S+) \/ (\S+)/m.exec(out)!.slice(1);
    const dir = /removes (\S+)$/m.exec(out)![1];
    const nodes = [1, 2, 3].map((i) => field(`hub-${i}`)!);
    expect(nodes.every((u) => /^http:\/\/127\.0\.0\.1:\d+$/.test(u))).toBe(true);
    expect(existsSync(dir)).toBe(true);

    const authHeader = 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64');
    const api = hubApi({ httpUrl: consoleUrl, authHeader });
    const stream = await openAlarmStream(consoleUrl, authHeader);
    expect(stream.status).toBe(200);
    // The same stream straight from a hub: HAProxy must pass each event on at once.
    const direct = await openAlarmStream(nodes[0], authHeader);
    expect(direct.status).toBe(200);
    const proxyDelays: number[] = [];
    /** Provisions a bed, connects its button through HAProxy, presses SOS: ms from press to the stream. */
    const sosThroughProxy = async (label: string) => {
      const p = await api.provisionBed(label);
      expect((await api.put(`/api/beds/${p.bed.id}/rules`, { suppression: { warmupMs: 0 } })).status).toBe(200);
      const creds = p.devices.button.credentials as Creds;
      const device = await waitFor(() => connectDevice(mqttUrl, creds).catch(() => undefined), {
        timeoutMs: 20_000,
        what: 'the device to connect through HAProxy',
      });
      const pressed = Date.now();
      await device.publishAsync(
        eventsTopic(creds.deviceId),
        JSON.stringify({ eventId: 'sos-1', type: 'button.pressed', ts: Date.now() }),
        { qos: 1 },
      );
      const alarm = await stream.waitFor(
        (e) => e.type === 'alarm.raised' && e.data.alarm.bedId === p.bed.id && e.data.alarm.kind === 'sos',
        10_000,
      );
      expect(alarm.data.alarm.severity).toBe('critical');
      const same = await direct.waitFor((e) => e.id === alarm.id, 10_000);
      proxyDelays.push(alarm.receivedAt - same.receivedAt);
      await device.endAsync();
      return alarm.receivedAt - pressed;
    };
    const sosMs = [await sosThroughProxy('cluster command 1'), await sosThroughProxy('cluster command 2')];
    stream.close();
    direct.close();
    // Without `option http-no-delay` HAProxy held each small SSE write about 200 ms.
    expect(Math.max(...proxyDelays)).toBeLessThan(150);

    const ports = [consoleUrl, mqttUrl, ...nodes].map((u) => Number(new URL(u).port));
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    const stopAt = Date.now();
    proc.kill('SIGINT');
    expect(await exited).toBe(0);
    const stopMs = Date.now() - stopAt;
    expect(out).toMatch(/cluster stopped/);
    expect(existsSync(dir)).toBe(false);
    for (const port of ports) expect(await accepts(port)).toBe(false);
    process.stdout.write(
      `cluster-command: 3 nodes ready in ${startMs} ms; SOS through HAProxy on the stream in ${sosMs.join(' then ')} ms (proxy vs direct ${proxyDelays.join(', ')} ms); stopped in ${stopMs} ms\n`,
    );
  });
});
