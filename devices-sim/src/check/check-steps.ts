import { eventsTopic, telemetryTopic, type DeviceKind, type EventType } from '@bedside/contracts';
import { openAlarmStream } from '../hub/alarm-stream';
import { manualCredentials } from '../hub/credentials';
import { HubRestClient } from '../hub/hub-rest.client';
import { ButtonModel } from '../models/button.model';
import { MattressModel } from '../models/mattress.model';
import { ResidentModel } from '../models/resident.model';
import { WearableModel } from '../models/wearable.model';
import type { AnySample } from '../models/model.types';
import { DeviceClient } from '../mqtt/device-client';
import { poll } from '../util/poll';
import { SkipStep, type StepDef } from './step-runner';

export interface CheckOptions {
  hub: string;
  mqtt: string;
  deviceId: string;
  secret: string;
  kind: DeviceKind;
  admin?: { username: string; password: string };
  seed: number;
  timeoutMs: number;
}

/** A harmless event each kind may send, for the ack step. */
const ACK_EVENT: Record<DeviceKind, EventType> = {
  mattress: 'bed.return',
  button: 'button.cancelled',
  wearable: 'wearable.worn',
};
/** The event that raises a test alarm, and the alarm kind it raises (null: the kind cannot). */
const ALARM_TRIGGER: Record<DeviceKind, { event: EventType; alarmKind: string; waitMs: number; note: string } | null> =
  {
    button: { event: 'button.pressed', alarmKind: 'sos', waitMs: 15_000, note: 'SOS is raised at once' },
    // The wearable's SOS key: a fall would take the 30 s cancel window, and a fall cannot be faked on demand anyway.
    wearable: { event: 'button.pressed', alarmKind: 'sos', waitMs: 15_000, note: 'SOS is raised at once' },
    mattress: null,
  };

interface DeviceView {
  id: string;
  kind: DeviceKind;
  bedId: string | null;
  status: { online: boolean; statusAt: string | null; firmware: string | null };
}

function sampleFor(kind: DeviceKind, seed: number, t: number): AnySample {
  const resident = new ResidentModel({ seed });
  const model =
    kind === 'mattress'
      ? new MattressModel(resident, seed)
      : kind === 'wearable'
        ? new WearableModel(resident, seed)
        : new ButtonModel(seed);
  const s = model.next(t).sample as Record<string, unknown>;
  // Installers check the pipe, not the physiology: make sure the sample carries values.
  if (kind === 'mattress')
    return {
      ...s,
      inBed: true,
      heartRate: 64,
      respirationRate: 14,
      movement: 2,
      signalQuality: 90,
      ts: t,
    };
  if (kind === 'wearable') return { ...s, worn: true, heartRate: 72, spo2: 97, steps: 0, ts: t };
  return s;
}

/** The commissioning checklist for one device identity. `cleanup` closes what the steps opened. */
export function checkSteps(o: CheckOptions): { steps: StepDef[]; cleanup: () => Promise<void> } {
  const device = new DeviceClient(manualCredentials(o.deviceId, o.secret), o.kind, {
    mqttUrl: o.mqtt,
    connectTimeoutMs: Math.min(o.timeoutMs, 10_000),
    firstSeq: Date.now(),
  });
  const api = o.admin ? new HubRestClient(o.hub, o.admin) : null;
  const needApi = () => {
    if (!api) throw new SkipStep('no --admin credentials to read the hub back');
    return api;
  };
  let view: DeviceView | null = null;
  const path = `/api/devices/${encodeURIComponent(o.deviceId)}`;
  const t = o.timeoutMs;

  const steps: StepDef[] = [
    {
      id: 'connect',
      label: 'connect + authenticate',
      run: async () => {
        await device.connect();
        return `CONNACK 0 from ${o.mqtt} as ${o.deviceId}`;
      },
    },
    {
      id: 'subscribe',
      label: 'subscribe to own errors and acks',
      run: async () => {
        await device.subscribeDownlinks();
        return 'SUBACK granted QoS 1';
      },
    },
    {
      id: 'status',
      label: 'publish status online (retained), seen by the hub',
      run: async () => {
        const before = Date.now() - 1000;
        await device.publishStatus({
          state: 'online',
          ts: Date.now(),
          firmware: 'devices-sim-check',
          rssi: -61,
          ...(o.kind !== 'mattress' && { battery: 90 }),
        });
        const a = needApi();
        const seen = await poll(async () => {
          const d = await a.get<DeviceView>(path);
          return d.status.online && d.status.statusAt && Date.parse(d.status.statusAt) >= before ? d : undefined;
        }, t);
        if (!seen) throw new Error(`GET ${path} did not show the status within ${t} ms`);
        if (seen.kind !== o.kind) throw new Error(`the hub knows ${o.deviceId} as a ${seen.kind}, not a ${o.kind}`);
        view = seen;
        return `online, firmware ${seen.status.firmware ?? '?'}, bed ${seen.bedId ?? 'not bound'}`;
      },
    },
    {
      id: 'telemetry',
      label: `publish ${o.kind} telemetry, stored`,
      run: async () => {
        const ts = Date.now();
        const { seq } = await device.publishTelemetry([sampleFor(o.kind, o.seed, ts)], 1, ts);
        const a = needApi();
        const q = `${path}/telemetry?from=${new Date(ts - 1).toISOString()}&to=${new Date(ts + 60_000).toISOString()}&limit=100`;
        const found = await poll(
          async () => (await a.get<{ seq: number; ts: number }[]>(q)).find((p) => Number(p.seq) === seq),
          t,
        );
        if (!found) throw new Error(`PUBACKed but not found in GET ${path}/telemetry within ${t} ms (seq ${seq})`);
        return `seq ${seq} stored at ts ${ts}`;
      },
    },
    {
      id: 'event',
      label: `publish event ${ACK_EVENT[o.kind]} (QoS 1), ack received`,
      run: async () => {
        const eventId = `check-${Date.now().toString(36)}`;
        const ack = device.waitFor('ack', (m) => m.eventId === eventId, t);
        await device.publishEvent(ACK_EVENT[o.kind], { eventId });
        const m = await ack;
        if (!m) throw new Error(`no ack for ${eventId} on ${o.deviceId}'s acks topic within ${t} ms`);
        return `ack ${m.status}${m.alarmId ? `, alarm ${m.alarmId}` : ''}`;
      },
    },
    {
      id: 'bad-message',
      label: 'send a bad message, matching error received',
      run: async () => {
        const seq = device.nextSeq();
        const bad = JSON.stringify({ ts: Date.now(), seq, samples: [{ battery: 150, colour: 'blue' }] });
        const err = device.waitFor('hub-error', (m) => m.seq === seq || m.topic === telemetryTopic(o.deviceId), t);
        await device.publishRaw(telemetryTopic(o.deviceId), bad, 1);
        const m = await err;
        if (!m) throw new Error(`no error on ${o.deviceId}'s errors topic within ${t} ms`);
        if (m.code !== 'INVALID_PAYLOAD') throw new Error(`expected INVALID_PAYLOAD, got ${m.code}: ${m.message}`);
        return `${m.code}: ${m.errors.map((e) => `${e.field} ${e.reason}`).join('; ')}`;
      },
    },
    {
      id: 'alarm',
      label: 'trigger a test alarm, seen on the alarm stream',
      run: async () => {
        const trigger = ALARM_TRIGGER[o.kind];
        if (!trigger)
          throw new SkipStep(
            'a mattress cannot raise an alarm on demand (vital-sign alarms need minutes of abnormal readings; use `scenario bradycardia`)',
          );
        const a = needApi();
        if (!view?.bedId)
          throw new Error('the device is not bound to a bed, so no alarm can be raised (PUT /api/devices/:id/bed)');
        const opened = await openAlarmStream(o.hub, a.authHeader);
        if (!opened.available) {
          throw new SkipStep(opened.reason);
        }
        try {
          const bedId = view.bedId;
          const waiting = opened.stream.waitFor(
            (x) => x.bedId === bedId && x.kind === trigger.alarmKind,
            trigger.waitMs,
          );
          const hubError = device.waitFor('hub-error', (m) => m.topic === eventsTopic(o.deviceId), trigger.waitMs);
          await device.publishEvent(trigger.event, { ...(trigger.event === 'fall.detected' && { confidence: 0.95 }) });
          const alarm = await Promise.race([
            waiting,
            hubError.then((e) => (e ? Promise.reject(new Error(`hub answered ${e.code}: ${e.message}`)) : null)),
          ]);
          if (!alarm)
            throw new Error(
              `no ${trigger.alarmKind} alarm for bed ${bedId} within ${trigger.waitMs / 1000} s (${trigger.note})`,
            );
          // Close the test alarm so it does not wait in the operators' queue.
          await a.request('POST', `/api/alarms/${alarm.id}/acknowledge`, {
            note: `commissioning check of ${o.deviceId}`,
          });
          await a.request('POST', `/api/alarms/${alarm.id}/resolve`, {
            outcome: 'test',
            note: 'installer commissioning check',
          });
          return `${alarm.kind} alarm ${alarm.id} (${alarm.severity}) reached the call centre, then was resolved as a test`;
        } finally {
          opened.stream.close();
        }
      },
    },
  ];
  return { steps, cleanup: () => device.end() };
}
