import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { telemetryTopic } from '@bedside/contracts';
import { hubApi, startHub, waitFor, type HubProcess } from '@bedside/testing';
import { connectDevice, type Creds } from './mqtt-helpers';

/**
 * A rolling restart as an orchestrator does it: SIGTERM while consoles hold the live stream and
 * a hundred devices are connected and publishing. The hub must be gone within its shutdown bound,
 * keep every message it acknowledged, and not turn its own restart into device-offline pages.
 */
const BEDS = 34; // x3 devices = 102 connections
const CONSOLES = 3;
const SHUTDOWN_BOUND_MS = 10_000;

let dataDir: string;
let hub: HubProcess | undefined;

afterAll(async () => {
  await hub?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

it('SIGTERM with 3 consoles and 102 devices: exits within 10 s, keeps every acknowledged message, raises no device_offline', async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'bedside-shutdown-'));
  hub = await startHub({ DATA_DIR: dataDir });
  const api = hubApi(hub);

  const beds = [];
  for (let i = 0; i < BEDS; i++) {
    const p = await api.provisionBed(`restart ${i}`);
    // A short offline grace: a Last Will published by the shutdown would become an alarm soon
    // after the restart, while devices that simply went quiet stay far from `silentAfterMs`.
    expect((await api.put(`/api/organisations/${p.org.id}/rules`, { deviceOffline: { graceMs: 1_000 } })).status).toBe(
      200,
    );
    beds.push(p);
  }
  const clients: MqttClient[] = [];
  for (const p of beds)
    for (const kind of ['mattress', 'button', 'wearable'] as const)
      clients.push(await connectDevice(hub.mqttUrl, p.devices[kind].credentials as Creds, { clean: false }));

  const streams = await Promise.all(
    Array.from({ length: CONSOLES }, async () => {
      const res = await fetch(`${hub!.httpUrl}/api/alarms/stream`, { headers: { authorization: hub!.authHeader } });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      await reader.read();
      return reader;
    }),
  );

  // Every call button publishes battery telemetry until its connection goes; PUBACKed ones are noted.
  const acked = new Map<string, number[]>();
  let publishing = true;
  const publishers = beds.map(async (p) => {
    const creds = p.devices.button.credentials as Creds;
    const client = clients.find((c) => c.options.clientId === creds.mqtt.clientId)!;
    const seqs: number[] = [];
    acked.set(creds.deviceId, seqs);
    for (let seq = 1; publishing && client.connected; seq++) {
      const body = JSON.stringify({ ts: Date.now(), seq, samples: [{ battery: 80 }] });
      const done = client.publishAsync(telemetryTopic(creds.deviceId), body, { qos: 1 }).then(
        () => seqs.push(seq),
        () => undefined,
      );
      await Promise.race([done, new Promise((r) => setTimeout(r, 50))]);
    }
  });
  await new Promise((r) => setTimeout(r, 1_500));

  const exited = new Promise<number>((r) => hub!.proc.once('exit', () => r(Date.now())));
  const sent = Date.now();
  hub.proc.kill('SIGTERM');
  // Every console's stream ends (the console reconnects elsewhere or later).
  await Promise.all(
    streams.map(async (reader) => {
      for (;;) if ((await reader.read()).done) return;
    }),
  );
  const shutdownMs = (await exited) - sent;
  expect(shutdownMs).toBeLessThan(SHUTDOWN_BOUND_MS);
  publishing = false;
  await Promise.all(publishers);
  for (const c of clients) c.end(true);
  const ackedTotal = [...acked.values()].reduce((n, s) => n + s.length, 0);
  expect(ackedTotal).toBeGreaterThan(BEDS); // the load was real

  await hub.restart();
  // Every acknowledged message is stored.
  for (const p of beds) {
    const deviceId = (p.devices.button.credentials as Creds).deviceId;
    const res = await api.get(`/api/beds/${p.bed.id}/vitals?from=${sent - 120_000}&to=${Date.now()}&fields=battery`);
    expect(res.status).toBe(200);
    const stored = new Set(
      (res.body.samples as { deviceId: string; seq: number }[]).map((s) => `${s.deviceId}:${s.seq}`),
    );
    expect(acked.get(deviceId)!.filter((seq) => !stored.has(`${deviceId}:${seq}`))).toEqual([]);
  }
  // Well past the grace, with the devices still away: the restart raised no device_offline.
  await new Promise((r) => setTimeout(r, 4_000));
  const offline = await waitFor(
    async () => {
      const res = await api.get('/api/alarms?kind=device_offline');
      return res.status === 200 ? (res.body as unknown[]) : null;
    },
    { what: 'the alarm list' },
  );
  expect(offline).toEqual([]);
  console.log(
    `shutdown-under-load: exited ${shutdownMs} ms after SIGTERM; ${ackedTotal} acknowledged messages, all stored`,
  );
}, 180_000);
