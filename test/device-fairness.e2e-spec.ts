import { devicePrefix, eventsTopic, statusTopic } from '@bedside/contracts';
import { freePort, hubApi, scrape, startHub, waitFor, type HubProcess } from '@bedside/testing';
import { connectDevice, type Creds } from './mqtt-helpers';
import { rawDevice, type RawTransport } from './raw-mqtt';

/**
 * A slow or hostile connection can only hurt itself: while one device publishes without pause
 * and never reads its socket, every other device's `stored` and `alarm` acks keep their pace.
 * The drain timeout (15 s) is set beyond the measured window (about 6 s) so that it cannot be
 * what rescues the others. The flood is over quota and refused from the raw bytes, each message
 * at the cost of a 4-byte PUBACK, and the connection is read about every 100 ms: the hub does
 * not drop it within the window (filling the kernel's socket buffers on loopback at that pace
 * takes minutes; the drop once its writes stop draining is uplink-skim.spec's), it holds it,
 * so the flood waits in the device's own buffers.
 */
let hub: HubProcess;
let api: ReturnType<typeof hubApi>;
let wsPort: number;

beforeAll(async () => {
  wsPort = await freePort();
  hub = await startHub({
    MQTT_WS_PORT: String(wsPort),
    MQTT_DRAIN_TIMEOUT_MS: '15000',
    MQTT_MAX_OUTBOUND_BYTES: String(64 * 1024),
  });
  api = hubApi(hub);
}, 60_000);

afterAll(async () => {
  await hub?.dispose();
});

/** Device messages the hub refused for the per-device message quota so far (its own metric). */
async function refusedForQuota(): Promise<number> {
  return (await scrape(hub.httpUrl))('bedside_mqtt_quota_exceeded_total', { kind: 'messages' });
}

/** Connections the hub dropped for an outbound backlog over its bound, or a drain that timed out (its own metric). */
async function dropped(): Promise<number> {
  return (await scrape(hub.httpUrl))('bedside_mqtt_connections_dropped_total');
}

const p = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** SOS presses from `buttons` every `everyMs` for `forMs`: latency of each press's stored and alarm acks. */
async function pressLatencies(url: string, buttons: Creds[], forMs: number, everyMs: number, tag: string) {
  const stored: number[] = [];
  const alarm: number[] = [];
  const sent = new Map<string, number>();
  const clients = await Promise.all(
    buttons.map(async (b) => {
      const c = await connectDevice(url, b);
      c.on('message', (_t, payload) => {
        const ack = JSON.parse(payload.toString());
        const at = sent.get(`${b.deviceId}/${ack.eventId}`);
        if (at === undefined) return;
        if (ack.status === 'stored') stored.push(Date.now() - at);
        if (ack.status === 'alarm') alarm.push(Date.now() - at);
      });
      await c.subscribeAsync(devicePrefix(b.deviceId) + 'acks', { qos: 1 });
      return c;
    }),
  );
  const end = Date.now() + forMs;
  let n = 0;
  while (Date.now() < end) {
    for (const [i, c] of clients.entries()) {
      const eventId = `${tag}-${n}`;
      sent.set(`${buttons[i].deviceId}/${eventId}`, Date.now());
      c.publish(eventsTopic(buttons[i].deviceId), JSON.stringify({ eventId, type: 'button.pressed', ts: Date.now() }), {
        qos: 1,
      });
    }
    n++;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  await waitFor(() => stored.length === sent.size && alarm.length === sent.size, {
    timeoutMs: 20_000,
    what: `all acks for ${tag} (${stored.length}/${alarm.length} of ${sent.size})`,
  }).catch(() => undefined);
  await Promise.all(clients.map((c) => c.endAsync()));
  return { sent: sent.size, stored, alarm };
}

describe.each<[RawTransport, () => string, () => number]>([
  ['tcp', () => hub.mqttUrl, () => hub.mqttPort],
  ['ws', () => `ws://127.0.0.1:${wsPort}/mqtt`, () => wsPort],
])('over %s', (transport, url, port) => {
  it("a device that publishes without pause and never reads does not delay the others' acks; it alone is held back", async () => {
    const beds = await Promise.all([0, 1, 2, 3].map((i) => api.provisionBed(`fair-${transport}-${i}`)));
    const buttons = beds.slice(1).map((b) => b.devices.button.credentials as Creds);
    const quiet = await pressLatencies(url(), buttons, 1500, 250, `quiet-${transport}`);

    const stuckCreds = beds[0].devices.mattress.credentials as Creds;
    const { raw: stuck, connack } = await rawDevice(transport, port(), stuckCreds);
    expect(connack.returnCode).toBe(0);
    stuck.send({
      cmd: 'subscribe',
      messageId: 1,
      subscriptions: [{ topic: devicePrefix(stuckCreds.deviceId) + '#', qos: 1 }],
    });
    await stuck.next((x) => x.cmd === 'suback', 'SUBACK');
    stuck.stopReading(); // from here on it never reads
    const refusedBefore = await refusedForQuota();
    const droppedBefore = await dropped();
    let messageId = 1;
    let flooding = true;
    const flood = (async () => {
      const body = '{"state":"on"}'; // refused: a PUBACK, an error downlink and an echo each, ~20 times its size
      while (flooding && !stuck.isClosed()) {
        // Bounded per turn: a hub that reads fast (messages over quota are refused unparsed) or a
        // stream it has just destroyed must not keep this loop from yielding.
        for (let n = 0; n < 5000 && !stuck.stream.destroyed && stuck.stream.writableLength < 512 * 1024; n++) {
          messageId = (messageId % 65535) + 1;
          stuck.send({
            cmd: 'publish',
            topic: statusTopic(stuckCreds.deviceId),
            payload: body,
            qos: 1,
            messageId,
            retain: false,
            dup: false,
          });
        }
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    await new Promise((r) => setTimeout(r, 500));
    // What it tried to send, piled up on its side while the others press (the most seen).
    let backedUp = 0;
    const sampler = setInterval(() => (backedUp = Math.max(backedUp, stuck.stream.writableLength)), 50);
    const loaded = await pressLatencies(url(), buttons, 4000, 250, `loaded-${transport}`).finally(() =>
      clearInterval(sampler),
    );
    // Held, not read at the device's pace: what it tried to send piled up on its side. Or, once
    // what the hub owes it (PUBACKs, errors, echoes it never reads) passed the outbound bound,
    // dropped by the hub, which counts it.
    const droppedByHub = stuck.isClosed() ? (await dropped()) - droppedBefore : 0;
    const refused = await refusedForQuota();
    flooding = false;
    await flood;
    stuck.destroy();

    const summary = {
      quiet: { storedP99: p(quiet.stored, 0.99), alarmP99: p(quiet.alarm, 0.99) },
      loaded: { storedP99: p(loaded.stored, 0.99), alarmP99: p(loaded.alarm, 0.99) },
    };
    console.log(`fairness over ${transport}: ${JSON.stringify(summary)}`);
    expect(loaded.stored).toHaveLength(loaded.sent);
    expect(loaded.alarm).toHaveLength(loaded.sent);
    // Generous bounds for a shared CI machine; a stalled downlink path took tens of seconds.
    expect(summary.loaded.storedP99).toBeLessThan(Math.max(1000, 4 * summary.quiet.storedP99));
    expect(summary.loaded.alarmP99).toBeLessThan(Math.max(1500, 4 * summary.quiet.alarmP99));
    expect(refused - refusedBefore).toBeGreaterThan(1000);
    expect(backedUp > 0 || droppedByHub > 0).toBe(true);
  }, 90_000);
});
