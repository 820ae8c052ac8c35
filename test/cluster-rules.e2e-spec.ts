import type { MqttClient } from 'mqtt';
import { commandsTopic, eventsTopic, telemetryTopic } from '@bedside/contracts';
import { hubApi, startClusteredHubs, waitFor, type ClusteredHubs, type HubProcess } from '@bedside/testing';
import { closed, connectDevice, listenDownlinks, type Creds } from './mqtt-helpers';

/**
 * Two built hubs clustered on one PostgreSQL. A bed's rules run on the node holding its
 * partition's lease, whichever node stored the device's event; when that node is frozen or
 * killed, the other takes the partition over and finishes what was pending (a fall's cancel
 * window) exactly once, and a frozen former owner that wakes up writes nothing.
 */
jest.setTimeout(240_000);

const TTL_MS = 3000;
const CANCEL_WINDOW_MS = 5000;

/** A bed's override replaces the previous one whole. */
const bedRules = (heartRate: boolean) => ({
  suppression: { warmupMs: 0 },
  artefacts: { settleAfterInBedMs: 0, jumpConfirmMs: 0 },
  fall: { cancelWindowMs: CANCEL_WINDOW_MS },
  heartRate: { enabled: heartRate, critical: { forMs: 1000 } },
});

interface TestBed {
  bedId: string;
  owner: string;
  button: Creds;
  wearable: Creds;
  mattress: Creds;
}

describe('rules engine across cluster nodes', () => {
  let cluster: ClusteredHubs;
  let hubs: Record<string, HubProcess>;
  const clients: MqttClient[] = [];
  const beds: TestBed[] = [];

  beforeAll(async () => {
    cluster = await startClusteredHubs({ nodes: ['hub-a', 'hub-b'], database: 'cluster_rules', leaseTtlMs: TTL_MS });
    hubs = { 'hub-a': cluster.hub('hub-a'), 'hub-b': cluster.hub('hub-b') };
    await cluster.waitForEvenSplit();
    const admin = hubApi(hubs['hub-a']);
    while (beds.filter((b) => b.owner === 'hub-b').length < 8 || beds.filter((b) => b.owner === 'hub-a').length < 1) {
      const p = await admin.provisionBed(`cluster rules ${beds.length}`);
      expect((await admin.put(`/api/beds/${p.bed.id}/rules`, bedRules(true))).status).toBe(200);
      beds.push({
        bedId: p.bed.id,
        owner: await ownerOf(p.bed.id),
        button: p.devices.button.credentials as Creds,
        wearable: p.devices.wearable.credentials as Creds,
        mattress: p.devices.mattress.credentials as Creds,
      });
    }
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync()));
    await cluster?.stop();
  });

  const leaseCounts = () => cluster.owners();
  const ownerOf = async (bedId: string) => (await cluster.ownerOfBed(bedId)) ?? 'none';
  const alarmsOf = async (bedId: string, kind: string) =>
    (await cluster.db.query<{ id: string }>('select id from alarms where bed_id = $1 and kind = $2', [bedId, kind]))
      .rows;
  const raisesOf = async (bedId: string, kind: string) =>
    Number(
      (
        await cluster.db.query<{ n: string }>(
          `select count(*) as n from alarm_events e join alarms a on a.id = e.alarm_id
            where a.bed_id = $1 and a.kind = $2 and e.type = 'alarm.raised'`,
          [bedId, kind],
        )
      ).rows[0].n,
    );
  const publish = async (hub: HubProcess, creds: Creds, eventId: string, type: string) => {
    const client = await connectDevice(hub.mqttUrl, creds);
    clients.push(client);
    await client.publishAsync(eventsTopic(creds.deviceId), JSON.stringify({ eventId, type, ts: Date.now() }), {
      qos: 1,
    });
    return Date.now();
  };
  /** The fall is pending on its owner once the condition's deadline is saved with the bed's state. */
  const fallPending = (bedId: string) =>
    waitFor(
      async () =>
        (
          await cluster.db.query<{ next_deadline: Date | null }>(
            'select next_deadline from bed_rule_state where bed_id = $1',
            [bedId],
          )
        ).rows[0]?.next_deadline != null,
      { what: 'the fall pending on its owner', timeoutMs: 10_000 },
    ).catch(async (err: Error) => {
      const row = await cluster.db.query('select * from bed_rule_state where bed_id = $1', [bedId]);
      const ev = await cluster.db.query('select * from device_events where bed_id = $1', [bedId]);
      const own = await ownerOf(bedId);
      process.stdout.write(
        JSON.stringify({ row: row.rows, ev: ev.rows, own }, null, 1) + hubs['hub-b'].logs().slice(-6000),
      );
      throw err;
    });
  const ownedBy = (node: string) => beds.filter((b) => b.owner === node);
  /** SOS events this node evaluated into an alarm (its own metric). */
  const sosEvaluated = async (hub: HubProcess) => {
    const text = await (await fetch(`${hub.httpUrl}/metrics`)).text();
    const m = /^bedside_alarm_event_to_stream_seconds_count\{kind="sos"\} (\d+)$/m.exec(text);
    return m ? Number(m[1]) : 0;
  };

  it('an SOS stored by the node that does not own the bed raises one alarm, from the owner', async () => {
    const bed = ownedBy('hub-b')[0];
    const pressed = await publish(hubs['hub-a'], bed.button, 'sos-1', 'button.pressed');
    await waitFor(async () => (await alarmsOf(bed.bedId, 'sos')).length > 0, { what: 'the SOS alarm' });
    const ms = Date.now() - pressed;
    // Both nodes would each have raised it if both evaluated the bed.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await alarmsOf(bed.bedId, 'sos')).toHaveLength(1);
    expect(await raisesOf(bed.bedId, 'sos')).toBe(1);
    expect(await sosEvaluated(hubs['hub-b'])).toBe(1);
    expect(await sosEvaluated(hubs['hub-a'])).toBe(0);
    process.stdout.write(`cluster-rules: SOS stored on hub-a, raised by owner hub-b within ${ms} ms\n`);
  });

  it('an operator on the other node acknowledges and resolves the owner’s alarm; the owner’s rules see the resolution', async () => {
    const bed = ownedBy('hub-b')[4];
    await publish(hubs['hub-b'], bed.button, 'sos-op-1', 'button.pressed');
    await waitFor(async () => (await alarmsOf(bed.bedId, 'sos')).length === 1, { what: 'the SOS alarm' });
    const [{ id }] = await alarmsOf(bed.bedId, 'sos');
    const onA = hubApi(hubs['hub-a']);
    const ack = await onA.post(`/api/alarms/${id}/acknowledge`, { note: 'calling' });
    expect(ack.status).toBe(200);
    expect(ack.body.alarm.state).toBe('acknowledged');
    const resolved = await onA.post(`/api/alarms/${id}/resolve`, {
      outcome: 'false_alarm',
      note: 'pressed by mistake',
    });
    expect(resolved.status).toBe(200);
    // The owner's rules learned of the resolution: the next press is a new alarm, not a repeat of the old one.
    await publish(hubs['hub-a'], bed.button, 'sos-op-2', 'button.pressed');
    await waitFor(async () => (await alarmsOf(bed.bedId, 'sos')).length === 2, { what: 'a second SOS alarm' });
    expect(await sosEvaluated(hubs['hub-a'])).toBe(0);
  });

  it('a rule change made on the other node reaches the owner, and readings received by the other node reach its rules', async () => {
    const bed = ownedBy('hub-b')[5];
    const onA = hubApi(hubs['hub-a']);
    // Loaded and cached on the owner first.
    await publish(hubs['hub-a'], bed.button, 'sos-rules-1', 'button.pressed');
    await waitFor(async () => (await alarmsOf(bed.bedId, 'sos')).length === 1, { what: 'the first SOS alarm' });
    expect((await onA.put(`/api/beds/${bed.bedId}/rules`, bedRules(false))).status).toBe(200);
    const mattress = await connectDevice(hubs['hub-a'].mqttUrl, bed.mattress);
    clients.push(mattress);
    let seq = 0;
    const stream = async (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        await mattress.publishAsync(
          telemetryTopic(bed.mattress.deviceId),
          JSON.stringify({
            ts: Date.now(),
            seq: ++seq,
            samples: [{ inBed: true, heartRate: 150, respirationRate: 14, movement: 2, signalQuality: 90 }],
          }),
          { qos: 1 },
        );
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    await stream(3000);
    expect(await alarmsOf(bed.bedId, 'heart_rate')).toHaveLength(0);
    expect((await onA.put(`/api/beds/${bed.bedId}/rules`, bedRules(true))).status).toBe(200);
    await stream(3000);
    await waitFor(async () => (await alarmsOf(bed.bedId, 'heart_rate')).length === 1, {
      what: 'the heart-rate alarm from readings received by hub-a',
    });
  });

  it('downlinks reach the node holding the connection: the alarm ack from the owner, a command and a revocation made through the other node', async () => {
    const bed = ownedBy('hub-b')[6];
    // The button on hub-a, its bed owned by hub-b: hub-b raises the alarm, hub-a holds the session.
    const button = await connectDevice(hubs['hub-a'].mqttUrl, bed.button);
    clients.push(button);
    const down = await listenDownlinks(button, bed.button.deviceId);
    const commands: { type: string }[] = [];
    await button.subscribeAsync(commandsTopic(bed.button.deviceId), { qos: 1 });
    button.on('message', (topic, payload) => {
      if (topic === commandsTopic(bed.button.deviceId))
        commands.push(JSON.parse(payload.toString()) as { type: string });
    });
    await waitFor(
      async () =>
        (
          await cluster.db.query('select 1 from device_sessions where device_id = $1 and node_id = $2', [
            bed.button.deviceId,
            'hub-a',
          ])
        ).rowCount === 1,
      { what: 'the session recorded on hub-a' },
    );
    await button.publishAsync(
      eventsTopic(bed.button.deviceId),
      JSON.stringify({ eventId: 'sos-down', type: 'button.pressed', ts: Date.now() }),
      { qos: 1 },
    );
    const ack = await waitFor(() => down.acks.find((a) => a.eventId === 'sos-down' && a.status === 'alarm'), {
      what: 'the alarm ack from the owner',
    });
    const [{ id }] = await alarmsOf(bed.bedId, 'sos');
    expect(ack.alarmId).toBe(id);
    expect(await sosEvaluated(hubs['hub-a'])).toBe(0);

    const sent = await hubApi(hubs['hub-b']).post(`/api/devices/${bed.button.deviceId}/commands`, { type: 'identify' });
    expect(sent.status).toBe(202);
    await waitFor(() => commands.find((c) => c.type === 'identify'), { what: 'the command through hub-b' });

    const gone = closed(button);
    expect((await hubApi(hubs['hub-b']).post(`/api/devices/${bed.button.deviceId}/revoke`)).status).toBe(200);
    await gone;
    await waitFor(
      async () =>
        (await cluster.db.query('select 1 from device_sessions where device_id = $1', [bed.button.deviceId]))
          .rowCount === 0,
      { what: 'the session row removed' },
    );
    const offline = await hubApi(hubs['hub-b']).post(`/api/devices/${bed.button.deviceId}/commands`, {
      type: 'identify',
    });
    expect(offline.status).toBe(409);
  });

  it('an owner frozen for 30 s (SIGSTOP) loses its partitions after the TTL; the taker raises the pending fall and a new SOS once, and the woken node writes nothing', async () => {
    // Stored and pending on hub-b: only a takeover can raise it before hub-b wakes.
    const bed = ownedBy('hub-b')[1];
    const sosBed = ownedBy('hub-b')[7];
    await publish(hubs['hub-b'], bed.wearable, 'fall-stop', 'fall.detected');
    await fallPending(bed.bedId);
    hubs['hub-b'].proc.kill('SIGSTOP');
    const stoppedAt = Date.now();
    await waitFor(async () => (await leaseCounts())['hub-a'] === 64, { what: 'hub-a owning every partition' });
    const movedMs = Date.now() - stoppedAt;
    await waitFor(async () => (await alarmsOf(bed.bedId, 'fall')).length > 0, {
      what: 'the fall raised by the new owner',
      timeoutMs: 15_000,
    });
    await publish(hubs['hub-a'], sosBed.button, 'sos-frozen-owner', 'button.pressed');
    await waitFor(async () => (await alarmsOf(sosBed.bedId, 'sos')).length > 0, {
      what: 'the SOS raised by the taker',
    });
    // The frozen node's fall timer is long overdue when it wakes: the fence must refuse its raise.
    await new Promise((r) => setTimeout(r, Math.max(0, stoppedAt + 30_000 - Date.now())));
    hubs['hub-b'].proc.kill('SIGCONT');
    await waitFor(() => /partition lease lost/.test(hubs['hub-b'].logs()), { what: 'hub-b noticing its loss' });
    await new Promise((r) => setTimeout(r, 2000));
    expect(await alarmsOf(bed.bedId, 'fall')).toHaveLength(1);
    expect(await raisesOf(bed.bedId, 'fall')).toBe(1);
    expect(await raisesOf(sosBed.bedId, 'sos')).toBe(1);
    expect(movedMs).toBeLessThan(6_000);
    // The woken node rejoins and takes its share back.
    await waitFor(async () => (await leaseCounts())['hub-b'] === 32, { what: 'hub-b rejoining', timeoutMs: 20_000 });
    process.stdout.write(
      `cluster-rules: SIGSTOP for 30 s -> partitions moved in ${movedMs} ms; one fall alarm, one SOS\n`,
    );
  });

  it('after a kill -9 of the owner the survivor raises the pending fall once and answers a new SOS', async () => {
    const [fallBed, sosBed] = ownedBy('hub-b').slice(2, 4);
    for (const b of [fallBed, sosBed]) expect(await ownerOf(b.bedId)).toBe('hub-b');
    await publish(hubs['hub-b'], fallBed.wearable, 'fall-kill', 'fall.detected');
    await fallPending(fallBed.bedId);
    const killedAt = Date.now();
    await hubs['hub-b'].kill();
    await waitFor(async () => (await leaseCounts())['hub-a'] === 64, { what: 'hub-a owning every partition' });
    const movedMs = Date.now() - killedAt;
    const pressed = await publish(hubs['hub-a'], sosBed.button, 'sos-after-kill', 'button.pressed');
    await waitFor(async () => (await alarmsOf(sosBed.bedId, 'sos')).length > 0, { what: 'the SOS after the kill' });
    const sosMs = Date.now() - pressed;
    await waitFor(async () => (await alarmsOf(fallBed.bedId, 'fall')).length > 0, {
      what: 'the pending fall raised by the survivor',
      timeoutMs: 15_000,
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await raisesOf(fallBed.bedId, 'fall')).toBe(1);
    expect(await raisesOf(sosBed.bedId, 'sos')).toBe(1);
    expect(movedMs).toBeLessThan(6_000);
    process.stdout.write(
      `cluster-rules: kill -9 -> partitions moved in ${movedMs} ms; SOS after it raised in ${sosMs} ms\n`,
    );
  });
});
