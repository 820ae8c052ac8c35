import { telemetryTopic } from '@bedside/contracts';
import { hubApi, startHub, startInflux, waitFor, type HubProcess, type InfluxServer } from '@bedside/testing';
import { connectDevice, type Creds } from './mqtt-helpers';

/**
 * The hub with InfluxDB behind it, end to end over MQTT: telemetry lands in InfluxDB and reads
 * back over REST; while InfluxDB is down every acknowledged sample goes to the on-disk spool,
 * survives a hub restart, and is in InfluxDB exactly once when it returns.
 */
let influx: InfluxServer;
let hub: HubProcess;

beforeAll(async () => {
  influx = await startInflux();
  hub = await startHub({ INFLUX_URL: influx.url, INFLUX_DATABASE: influx.database, INFLUX_FLUSH_MS: '100' });
}, 90_000);

afterAll(async () => {
  await hub?.dispose();
  await influx?.stop();
});

async function countIn(deviceId: string): Promise<number> {
  const r = await influx.query(`SELECT COUNT("seq") FROM "telemetry" WHERE "device_id" = '${deviceId}'`);
  return Number(r.results?.[0]?.series?.[0]?.values?.[0]?.[1] ?? 0);
}

async function publishBatch(creds: Creds, fromSeq: number, count: number, t0: number): Promise<void> {
  const client = await connectDevice(hub.mqttUrl, creds);
  for (let i = 0; i < count; i++) {
    const seq = fromSeq + i;
    await client.publishAsync(
      telemetryTopic(creds.deviceId),
      JSON.stringify({
        ts: t0 + seq * 1000,
        seq,
        samples: [
          { inBed: true, heartRate: 60 + (seq % 10), respirationRate: 14, signalQuality: 90, ts: t0 + seq * 1000 },
        ],
      }),
      { qos: 1 },
    );
  }
  await client.endAsync();
}

it('stores telemetry in InfluxDB, spools it through an outage and a hub restart, and loses or doubles nothing', async () => {
  const api = hubApi(hub);
  const { devices, bed } = await api.provisionBed('influx');
  const creds = devices.mattress.credentials as Creds;
  const t0 = Date.now() - 3_600_000;

  await publishBatch(creds, 0, 20, t0);
  await waitFor(async () => (await countIn(creds.deviceId)) === 20, {
    what: 'first 20 samples in InfluxDB',
    timeoutMs: 10_000,
  });
  const vitals = await api.get(
    `/api/beds/${bed.id}/vitals?from=${new Date(t0 - 1000).toISOString()}&to=${new Date(t0 + 60_000).toISOString()}&interval=10s&fields=heartRate`,
  );
  expect(vitals.status).toBe(200);
  expect(vitals.body.buckets.reduce((n: number, r: any) => n + (r.values.heartRate?.count ?? 0), 0)).toBe(20);

  await influx.kill();
  await publishBatch(creds, 20, 50, t0); // every one acknowledged: they are in the spool
  const metrics = await (await fetch(`${hub.httpUrl}/metrics`)).text();
  const depth = Number(/bedside_telemetry_spool_depth_points\{store="influx"\} (\d+)/.exec(metrics)?.[1] ?? -1);
  expect(depth).toBeGreaterThan(0);
  // Reads while InfluxDB is down: a clear 503, not an opaque 500.
  const down = await api.get(
    `/api/beds/${bed.id}/vitals?from=${new Date(t0 - 1000).toISOString()}&to=${new Date(t0 + 60_000).toISOString()}&interval=10s&fields=heartRate`,
  );
  expect(down.status).toBe(503);
  expect(down.body).toEqual(
    expect.objectContaining({ code: 'UNAVAILABLE', message: expect.stringContaining('InfluxDB is not answering') }),
  );

  await hub.stop(); // graceful: flushes to the spool, InfluxDB still down
  await influx.restart();
  await hub.restart();
  await waitFor(async () => (await countIn(creds.deviceId)) >= 70, {
    what: 'spool replayed after restart',
    timeoutMs: 30_000,
  });
  await new Promise((r) => setTimeout(r, 1000));
  expect(await countIn(creds.deviceId)).toBe(70);
  const raw = await api.get(
    `/api/devices/${creds.deviceId}/telemetry?from=${new Date(t0 - 1000).toISOString()}&limit=1000`,
  );
  expect(raw.body.map((p: any) => p.seq)).toEqual(Array.from({ length: 70 }, (_, i) => i));
}, 120_000);
