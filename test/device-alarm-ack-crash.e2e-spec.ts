import mqtt, { type MqttClient } from 'mqtt';
import { acksTopic, eventsTopic } from '@bedside/contracts';
import { waitFor, type HubProcess } from '@bedside/testing';
import { startHubWithWebSocket, type Creds } from './mqtt-helpers';

/**
 * "Help is coming" after a crash: call buttons press while the hub is killed with SIGKILL again
 * and again, at moments when presses are between being stored and being answered. Every press
 * the hub acknowledged (PUBACK) must in the end get its `alarm` ack, naming an SOS alarm of the
 * button's bed, whichever connection the device is on by then (TCP and WebSocket buttons).
 */
const BEDS = 12;
const ROUNDS = 4;
const PRESSES_PER_ROUND = 3;

let hub: HubProcess;
let api: Awaited<ReturnType<typeof startHubWithWebSocket>>['api'];
let wsPort: number;

interface Button {
  id: string;
  bedId: string;
  client: MqttClient;
  /** eventId -> alarm ids received for it. */
  alarmAcks: Map<string, Set<string>>;
  pubacked: Set<string>;
}
const buttons: Button[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A button as firmware would run it: reconnects by itself, resubscribes, resends unacknowledged presses. */
function startButton(creds: Creds, bedId: string, url: string): Promise<Button> {
  const client = mqtt.connect(url, {
    clientId: creds.mqtt.clientId,
    username: creds.mqtt.username,
    password: creds.mqtt.password,
    protocolVersion: 4,
    reconnectPeriod: 250,
    connectTimeout: 5000,
    will: { ...creds.mqtt.lastWill, payload: Buffer.from(creds.mqtt.lastWill.payload) },
  });
  client.on('error', () => undefined);
  const button: Button = { id: creds.deviceId, bedId, client, alarmAcks: new Map(), pubacked: new Set() };
  client.on('message', (topic, payload) => {
    if (topic !== acksTopic(button.id)) return;
    const ack = JSON.parse(payload.toString()) as { eventId: string; status: string; alarmId?: string };
    if (ack.status !== 'alarm' || !ack.alarmId) return;
    const set = button.alarmAcks.get(ack.eventId) ?? new Set<string>();
    set.add(ack.alarmId);
    button.alarmAcks.set(ack.eventId, set);
  });
  return new Promise((resolve, reject) => {
    client.once('connect', () => {
      client.subscribe(acksTopic(button.id), { qos: 1 }, (err) => (err ? reject(err) : resolve(button)));
    });
  });
}

/** Sends the press until the hub acknowledges it (PUBACK), again after each lost connection, as the contract asks. */
function press(b: Button, eventId: string): void {
  if (stopped) return;
  const send = () =>
    b.client.publish(
      eventsTopic(b.id),
      JSON.stringify({ eventId, type: 'button.pressed', ts: Date.now() }),
      { qos: 1 },
      (err) => {
        if (!err) b.pubacked.add(eventId);
        else if (b.client.connected) send();
        else b.client.once('connect', send);
      },
    );
  send();
}
let stopped = false;

beforeAll(async () => {
  ({ hub, api, wsPort } = await startHubWithWebSocket());
  for (let i = 0; i < BEDS; i++) {
    const p = await api.provisionBed(`crash-${i}`);
    const url = i % 2 === 0 ? hub.mqttUrl : `ws://127.0.0.1:${wsPort}/mqtt`;
    buttons.push(await startButton(p.devices.button.credentials as Creds, (p.bed as { id: string }).id, url));
  }
}, 120_000);

afterAll(async () => {
  stopped = true;
  buttons.forEach((b) => b.client.end(true));
  await hub?.dispose();
});

it('every SOS press the hub acknowledged gets its alarm ack, across repeated kill -9', async () => {
  let kills = 0;
  for (let round = 0; round < ROUNDS; round++) {
    await waitFor(() => buttons.every((b) => b.client.connected), {
      what: 'every button connected',
      timeoutMs: 30_000,
    });
    // Presses spread over a few milliseconds, the kill somewhere inside the burst or just after it.
    for (let n = 0; n < PRESSES_PER_ROUND; n++) {
      for (const b of buttons) press(b, `r${round}-p${n}`);
      await sleep(3 + round * 4);
    }
    await sleep(round * 15);
    await hub.kill();
    kills++;
    await hub.restart();
  }
  expect(kills).toBe(ROUNDS);

  const pubacked = () => buttons.flatMap((b) => [...b.pubacked].map((e) => ({ b, e })));
  // Devices resend what was never acknowledged: wait until every press is, then for its alarm ack.
  await waitFor(() => pubacked().length === BEDS * ROUNDS * PRESSES_PER_ROUND, {
    what: 'every press acknowledged after reconnecting',
    timeoutMs: 60_000,
  });
  const missing = () => pubacked().filter(({ b, e }) => !b.alarmAcks.has(e));
  await waitFor(() => missing().length === 0, { what: 'an alarm ack for every press', timeoutMs: 60_000 }).catch(
    () => undefined,
  );
  expect(missing().map(({ b, e }) => `${b.id}/${e}`)).toEqual([]);

  // Each names an SOS alarm of the button's own bed.
  for (const b of buttons) {
    const alarms = (await api.get(`/api/alarms?bedId=${b.bedId}&kind=sos`)).body as { id: string }[];
    const ids = new Set(alarms.map((a) => a.id));
    for (const set of b.alarmAcks.values()) for (const id of set) expect(ids.has(id)).toBe(true);
  }
}, 240_000);
