import pg from 'pg';
import type { MqttClient } from 'mqtt';
import { telemetryTopic } from '@bedside/contracts';
import { toLocal } from '@bedside/rules';
import {
  hubApi,
  startHub,
  startInflux,
  startPostgres,
  waitFor,
  type HubProcess,
  type InfluxServer,
  type PostgresServer,
} from '@bedside/testing';
import { addNights, nightWindow } from '../libs/wellness/src/domain/night-window';
import type { WellnessSample } from '../libs/wellness/src/domain/night-summary';
import { atNight, syntheticNight } from '../libs/wellness/src/testing/night-fixture';
import { summariseNightPerSample } from '../libs/wellness/src/testing/per-sample-summary';
import { connectDevice, type Creds } from './mqtt-helpers';

/**
 * Per-minute rollups end to end: a night of 1 Hz mattress samples published over MQTT to a hub
 * that keeps its telemetry in InfluxDB and everything else in PostgreSQL. The hub folds the
 * samples into rollups in PostgreSQL as it stores them, summarises the night from those, and the
 * summary read over REST equals a sample-by-sample computation over what was sent.
 */
let influx: InfluxServer;
let postgres: PostgresServer;
let hub: HubProcess;
let sql: pg.Client;
const clients: MqttClient[] = [];

beforeAll(async () => {
  [influx, postgres] = await Promise.all([startInflux(), startPostgres()]);
  const url = await postgres.createDatabase('rollups');
  hub = await startHub({
    DATABASE_URL: url,
    INFLUX_URL: influx.url,
    INFLUX_DATABASE: influx.database,
    INFLUX_FLUSH_MS: '100',
    WELLNESS_SWEEP_MS: '1000',
    // A whole night replayed at once is far above a live device's inbound quota.
    MQTT_DEVICE_BYTES_PER_S: String(64 * 1024 * 1024),
    MQTT_DEVICE_BYTE_BURST: String(64 * 1024 * 1024),
  });
  sql = new pg.Client(url);
  await sql.connect();
}, 120_000);

afterAll(async () => {
  for (const c of clients) await c.endAsync().catch(() => undefined);
  await sql?.end();
  await hub?.dispose();
  await Promise.all([influx?.stop(), postgres?.stop()]);
});

const FIELDS = {
  mattress: ['ts', 'inBed', 'heartRate', 'respirationRate', 'movement', 'signalQuality'],
  wearable: ['ts', 'worn', 'heartRate', 'spo2'],
} as const;

async function publish(creds: Creds, kind: 'mattress' | 'wearable', samples: WellnessSample[]): Promise<void> {
  const client = await connectDevice(hub.mqttUrl, creds);
  clients.push(client);
  const wire = samples
    .filter((s) => s.kind === kind)
    .map((s) => Object.fromEntries(FIELDS[kind].filter((f) => s[f] !== undefined).map((f) => [f, s[f]])));
  for (let i = 0, seq = 1; i < wire.length; i += 300, seq++)
    await client.publishAsync(
      telemetryTopic(creds.deviceId),
      JSON.stringify({ ts: Date.now(), seq, samples: wire.slice(i, i + 300) }),
      { qos: 1 },
    );
}

it('summarises a 1 Hz night from the rollups folded at ingest, equal to the night computed sample by sample', async () => {
  const api = hubApi(hub);
  const tz = 'Asia/Shanghai';
  const p = await api.provisionBed('rollups');
  const mattress = p.devices.mattress.credentials as Creds;
  const wearable = p.devices.wearable.credentials as Creds;
  const l = toLocal(Date.now(), tz);
  const night = addNights(`${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`, -2);
  const samples = syntheticNight({
    night,
    timeZone: tz,
    mattressId: mattress.deviceId,
    intervalMs: 1000,
    absences: [
      { at: '23:59', minutes: 4 },
      { at: '03:00', minutes: 17 },
    ],
    silences: [{ at: '04:30', minutes: 6 }],
  });
  const worn = syntheticNight({
    night,
    timeZone: tz,
    intervalMs: 60_000,
    wearable: { deviceId: wearable.deviceId, from: '22:30', to: '06:30', spo2: 96 },
  }).filter((s) => s.kind === 'wearable');
  await publish(mattress, 'mattress', samples);
  await publish(wearable, 'wearable', worn);
  // A batch sent again (its acknowledgement lost) counts once.
  await publish(mattress, 'mattress', samples.slice(30_000, 30_300));

  const window = nightWindow(night, tz);
  const devices = (['mattress', 'button', 'wearable'] as const).map((kind) => ({
    deviceId: p.devices[kind].credentials.deviceId as string,
    kind,
  }));
  const expected = summariseNightPerSample([...samples, ...worn], [], { night, timeZone: tz, devices });
  const readNight = async () =>
    (await api.get(`/api/residents/${p.resident.id}/wellness?from=${night}&to=${night}`)).body.nights[0];
  let seen: unknown = null;
  const summarised = await waitFor(
    async () => {
      const n = await readNight();
      seen = n?.summary.samples;
      return n?.summary.samples.mattress === samples.length && n.summary.samples.wearable === worn.length && n;
    },
    { timeoutMs: 90_000, intervalMs: 1000, what: 'the 1 Hz night summarised' },
  ).catch((err: Error) => {
    throw new Error(`${err.message}; last seen ${JSON.stringify(seen)}`);
  });
  expect(summarised.summary).toEqual(expected);
  expect(summarised.summary.bedExits.count).toBe(2);
  expect(summarised.summary.devices[0]).toMatchObject({ usualIntervalMs: 1000, gapCount: 1 });

  // The rollups in PostgreSQL: one row a device and minute, each sample once.
  const rows = await sql.query<{ device_id: string; rows: string; samples: string }>(
    `select device_id, count(*) as rows, sum(samples) as samples from telemetry_minutes
      where bed_id = $1 and minute >= $2 and minute < $3 group by device_id order by device_id`,
    [p.bed.id, new Date(window.start), new Date(window.end)],
  );
  expect(Object.fromEntries(rows.rows.map((r) => [r.device_id, [Number(r.rows), Number(r.samples)]]))).toEqual({
    [mattress.deviceId]: [18 * 60 - 6, samples.length],
    [wearable.deviceId]: [18 * 60, worn.length],
  });

  // The summary is read from the rollups, not from InfluxDB: with an hour of them gone a
  // recompute shows that hour as a gap.
  await sql.query(`delete from telemetry_minutes where bed_id = $1 and minute >= $2 and minute < $3`, [
    p.bed.id,
    new Date(atNight(night, '01:00', tz)),
    new Date(atNight(night, '02:00', tz)),
  ]);
  const again = await api.post(`/api/residents/${p.resident.id}/wellness/recompute`, { from: night, to: night });
  expect(again.status).toBe(200);
  expect(again.body.nights[0].summary.samples.mattress).toBe(samples.length - 3600);
  expect(again.body.nights[0].summary.devices[0]).toMatchObject({ gapCount: 2 });
}, 180_000);
