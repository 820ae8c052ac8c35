import type { MqttClient } from 'mqtt';
import { eventsTopic } from '@bedside/contracts';
import { hubApi, startClusterBed, waitFor, type ClusterBed } from '@bedside/testing';
import { AckedReadings } from './acked-readings';
import { connectDevice, type Creds } from './mqtt-helpers';

/**
 * Twenty kill -9 of nodes picked at random (seeded) in a three-node cluster behind HAProxy,
 * under load: mattresses stream readings through the proxy every second while call buttons are
 * pressed right after each kill. Every press a hub acknowledged is stored and raises exactly
 * one alarm, every reading a hub acknowledged is stored, nothing else is raised (no
 * device_offline from the kills, no vital-sign alarm from readings that crossed a takeover), and
 * every node comes back and takes its share again.
 */
jest.setTimeout(420_000);

const NODES = ['hub-a', 'hub-b', 'hub-c'];
const CYCLES = 20;
const PRESSES_PER_CYCLE = 3;
const MATTRESSES = 30;
const SEED = 20261205;

interface Device {
  bedId: string;
  creds: Creds;
  client: MqttClient;
}

/** mulberry32: the kill order is the same on every run, and printed. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('cluster: 20 kill -9 under load', () => {
  let bed: ClusterBed;
  const buttons: Device[] = [];
  const mattresses: Device[] = [];
  let streaming = true;
  let streamed: Promise<void>;
  const readingsAcked = new AckedReadings();

  /** Each mattress sends one in-bed reading per second (QoS 1) until the test ends. */
  const stream = async () => {
    let seq = 0;
    while (streaming) {
      seq += 1;
      await Promise.all(mattresses.map((m) => readingsAcked.publish(m.client, m.creds.deviceId, seq)));
      await new Promise((r) => setTimeout(r, 1000));
    }
  };

  beforeAll(async () => {
    bed = await startClusterBed({ nodes: NODES, database: 'cluster_kill_cycles' });
    const admin = hubApi(bed.hubs[0]);
    for (let i = 0; i < CYCLES * PRESSES_PER_CYCLE; i++) {
      const p = await admin.provisionBed(`kill cycles ${i}`);
      expect((await admin.put(`/api/beds/${p.bed.id}/rules`, { suppression: { warmupMs: 0 } })).status).toBe(200);
      const connect = async (kind: 'button' | 'mattress') => {
        const creds = p.devices[kind].credentials as Creds;
        // Reconnects on its own, through the proxy, to whichever node it is sent to.
        return { bedId: p.bed.id, creds, client: await connectDevice(bed.mqttUrl, creds, { reconnectPeriod: 300 }) };
      };
      buttons.push(await connect('button'));
      if (i < MATTRESSES) mattresses.push(await connect('mattress'));
    }
    streamed = stream();
  });
  afterAll(async () => {
    streaming = false;
    await Promise.race([streamed, new Promise((r) => setTimeout(r, 5_000).unref())]);
    await Promise.all([...buttons, ...mattresses].map((d) => d.client.endAsync(true)));
    await bed?.stop();
  });

  it('loses no acknowledged press, raises each once and nothing else, and every node takes its share again', async () => {
    const random = seeded(SEED);
    const pressedAt = new Map<string, number>();
    /** Press -> its SOS alarm committed, in ms (polled every 50 ms), per press. */
    const raised: Promise<number>[] = [];
    const alarmOf = (bedId: string, at: number) =>
      waitFor(
        async () =>
          (await bed.sql("select 1 from alarms where bed_id = $1 and kind = 'sos'", [bedId])).length > 0 || undefined,
        { what: `the SOS alarm of bed ${bedId}`, timeoutMs: 60_000, intervalMs: 50 },
      ).then(() => Date.now() - at);
    const victims: string[] = [];
    const movedMs: number[] = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const n = Math.floor(random() * NODES.length);
      victims.push(NODES[n]);
      const killedAt = Date.now();
      await bed.hubs[n].kill();
      // Pressed at once: some of these buttons were on the killed node and press on reconnect.
      const presses = buttons.slice(cycle * PRESSES_PER_CYCLE, (cycle + 1) * PRESSES_PER_CYCLE).map(async (b, i) => {
        const eventId = `sos-cycle-${cycle}-${i}`;
        const at = Date.now();
        await b.client.publishAsync(
          eventsTopic(b.creds.deviceId),
          JSON.stringify({ eventId, type: 'button.pressed', ts: at }),
          { qos: 1 },
        );
        pressedAt.set(b.bedId, at);
        raised.push(alarmOf(b.bedId, at));
      });
      await waitFor(async () => (await bed.owners())[NODES[n]] === undefined, {
        what: `${NODES[n]}'s partitions taken (cycle ${cycle})`,
        intervalMs: 50,
      });
      movedMs.push(Date.now() - killedAt);
      await Promise.all(presses);
      await bed.hubs[n].restart();
      await bed.waitForOwners(NODES.length);
    }

    // Every acknowledged press stored, each raising one SOS alarm (raised once), in the end.
    const pressed = CYCLES * PRESSES_PER_CYCLE;
    expect(pressedAt.size).toBe(pressed);
    const stored = await bed.sql<{ n: number }>(
      "select count(*)::int as n from device_events where type = 'button.pressed' and event_id like 'sos-cycle-%'",
    );
    expect(stored[0].n).toBe(pressed);
    const latencies = (await Promise.all(raised)).sort((a, b) => a - b);
    const perBed = await bed.sql<{ bed_id: string; alarms: number; raises: number }>(
      `select a.bed_id, count(distinct a.id)::int as alarms, count(e.id)::int as raises
         from alarms a left join alarm_events e on e.alarm_id = a.id and e.type = 'alarm.raised'
        where a.kind = 'sos' group by a.bed_id`,
    );
    expect(perBed).toHaveLength(pressed);
    expect(perBed.filter((r) => r.alarms !== 1 || r.raises !== 1)).toEqual([]);
    const others = await bed.sql<{ kind: string; n: number }>(
      "select kind, count(*)::int as n from alarms where kind <> 'sos' group by kind",
    );
    expect(others).toEqual([]);

    // Every reading a hub acknowledged is stored, whichever node took it and whichever died after.
    expect(await readingsAcked.missing(bed.sql)).toEqual([]);

    const p99 = latencies[Math.ceil(0.99 * latencies.length) - 1];
    process.stdout.write(
      `cluster-kill-cycles: ${CYCLES} kill -9 (${victims.join(' ')}); partitions moved in ` +
        `${Math.min(...movedMs)}-${Math.max(...movedMs)} ms; ${pressed} presses, press->alarm p99 ${p99} ms, ` +
        `max ${latencies[latencies.length - 1]} ms; ${readingsAcked.count} readings acknowledged meanwhile, all stored\n`,
    );
  });
});
