import type { MqttClient } from 'mqtt';
import { hubApi, startClusterBed, waitFor, type ClusterBed } from '@bedside/testing';
import { openAlarmStream, type AlarmStreamClient } from '../libs/alarms/src/testing/alarm-stream-client';
import { AckedReadings } from './acked-readings';
import { connectDevice, type Creds } from './mqtt-helpers';
import { button, expectStoredOnce, press, sleep, tenant } from './provisional-fixture';

/**
 * A long PostgreSQL outage under load on three nodes behind HAProxy: mattresses keep sending a
 * reading a second through the whole outage, call buttons are pressed early, midway and late
 * in it. Every call reaches its organisation's console within 5 s as not yet stored; once the
 * database is back every reading a hub acknowledged is in the database, each call is stored
 * and raised once, nothing else is raised (no device_offline from readings that could not be
 * stored), and the three nodes own every partition again.
 */
jest.setTimeout(240_000);

const NODES = ['hub-a', 'hub-b', 'hub-c'];
const MATTRESSES = 12;
const OUTAGE_MS = 30_000;
/** When each button is pressed, from the start of the outage. */
const PRESS_AT_MS = [3_000, 14_000, 25_000];
const NOTICE_WITHIN_MS = 5_000;

describe('cluster: a 30 s PostgreSQL outage under load', () => {
  let bed: ClusterBed;
  const clients: MqttClient[] = [];
  const consoles: AlarmStreamClient[] = [];
  const mattresses: { creds: Creds; client: MqttClient }[] = [];
  const acked = new AckedReadings();
  let sent = 0;
  let streaming = true;
  let streamer: Promise<void>;

  /**
   * Each mattress publishes one reading a second (QoS 1) without waiting for the last one's
   * PUBACK, as a device with a sample clock does; MQTT.js keeps what is unacknowledged and
   * resends it on reconnect (MQTT 3.1.1 §4.4).
   */
  const stream = async () => {
    for (let seq = 1; streaming; seq++) {
      for (const m of mattresses) {
        sent++;
        void acked.publish(m.client, m.creds.deviceId, seq);
      }
      await sleep(1000);
    }
  };

  beforeAll(async () => {
    bed = await startClusterBed({ nodes: NODES, database: 'cluster_database_long_outage' });
    await bed.waitForSteadyState();
    const admin = hubApi(bed.hubs[0]);
    for (let i = 0; i < MATTRESSES; i++) {
      const p = await admin.provisionBed(`long outage ${i}`);
      const creds = p.devices.mattress.credentials as Creds;
      const client = await connectDevice(bed.mqttUrl, creds, { clean: false, reconnectPeriod: 250 });
      clients.push(client);
      mattresses.push({ creds, client });
    }
    streamer = stream();
  }, 120_000);

  afterAll(async () => {
    streaming = false;
    await streamer;
    consoles.forEach((c) => c.close());
    await Promise.all(clients.map((c) => c.endAsync(true)));
    bed?.pg.thaw();
    await bed?.stop();
  });

  it('shows every call at once, stores every acknowledged reading and each call once, and raises nothing else', async () => {
    const admin = hubApi(bed.hubs[0]);
    const callers = [];
    for (let i = 0; i < PRESS_AT_MS.length; i++) {
      const t = await tenant(bed.hubs[i], admin, `long-outage-caller-${i}`);
      const device = await button(bed, t.button);
      clients.push(device.client);
      const console = await openAlarmStream(bed.httpUrl, t.auth);
      expect(console.status).toBe(200);
      consoles.push(console);
      callers.push({ t, device, console });
    }
    // The beds' labels are read when their call devices connect (within 1.5 s); a few readings
    // are stored before the outage.
    await sleep(4500);
    const sentBefore = sent;

    await bed.pg.halt();
    const outageStarted = Date.now();
    const presses = [];
    for (const [i, at] of PRESS_AT_MS.entries()) {
      await sleep(Math.max(0, at - (Date.now() - outageStarted)));
      const { t, device, console } = callers[i];
      const p = press(device.client, t.button, `long-outage-sos-${i}`);
      const notice = await waitFor(
        () => console.noticesOf('provisional.alarm', (d) => d.key === `${t.button.deviceId}/long-outage-sos-${i}`)[0],
        { timeoutMs: NOTICE_WITHIN_MS, intervalMs: 20, what: `the provisional notice of call ${i}` },
      );
      expect(p.acked()).toBe(false); // not stored, so not acknowledged
      presses.push({ i, p, noticeMs: notice.receivedAt - p.at });
    }
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStarted)));
    const sentDuring = sent - sentBefore;
    await bed.pg.resume();
    const resumedAt = Date.now();

    // Every call stored and acknowledged once the database is back (the devices resend), one alarm each.
    for (const { i, p } of presses) {
      await p.done;
      const { t, console } = callers[i];
      await expectStoredOnce(console, admin, t.bed.id, t.button.deviceId, `long-outage-sos-${i}`);
    }
    const recoveredMs = Date.now() - resumedAt;
    await bed.waitForOwners(NODES.length, 30_000);

    // Readings: what was sent during the outage is acknowledged after it, and every acknowledged one is stored.
    streaming = false;
    await streamer;
    await waitFor(() => acked.count === sent || undefined, {
      timeoutMs: 30_000,
      what: `every reading acknowledged (${sent} sent)`,
    });
    const missing = await acked.missing(bed.sql);
    expect(missing).toEqual([]);

    const perBed = await bed.sql<{ alarms: number; raises: number }>(
      `select count(distinct a.id)::int as alarms, count(e.id)::int as raises
         from alarms a left join alarm_events e on e.alarm_id = a.id and e.type = 'alarm.raised'
        where a.kind = 'sos' group by a.bed_id`,
    );
    expect(perBed).toEqual(PRESS_AT_MS.map(() => ({ alarms: 1, raises: 1 })));
    const others = await bed.sql<{ kind: string; n: number }>(
      "select kind, count(*)::int as n from alarms where kind <> 'sos' group by kind",
    );
    expect(others).toEqual([]);

    process.stdout.write(
      `cluster-database-long-outage: ${OUTAGE_MS / 1000} s outage, ${MATTRESSES} mattresses; calls shown as not yet ` +
        `stored in ${presses.map((x) => x.noticeMs).join(' / ')} ms; stored ${recoveredMs} ms after the database ` +
        `returned; ${sent} readings sent (${sentDuring} during the outage), all acknowledged and stored\n`,
    );
  });
});
