import type { MqttClient } from 'mqtt';
import { eventsTopic, telemetryTopic } from '@bedside/contracts';
import { hubApi, startHub, waitFor, type HubProcess } from '@bedside/testing';
import { openAlarmStream, type AlarmStreamClient } from '../libs/alarms/src/testing/alarm-stream-client';
import { connectDevice, type Creds } from './mqtt-helpers';

/** Rule configuration (versioned, validated), maintenance silence and backtest over REST. */
let hub: HubProcess;
let api: ReturnType<typeof hubApi>;
let stream: AlarmStreamClient;
const clients: MqttClient[] = [];

beforeAll(async () => {
  hub = await startHub();
  api = hubApi(hub);
  stream = await openAlarmStream(hub.httpUrl, hub.authHeader);
}, 60_000);

afterAll(async () => {
  stream?.close();
  clients.forEach((c) => c.end(true));
  await hub?.dispose();
});

describe('rule configuration', () => {
  it('serves defaults, validates overrides (listing every bad path), versions them and merges the effective set', async () => {
    const p = await api.provisionBed('rules');
    expect((await api.get('/api/rules/default')).body).toEqual(
      expect.objectContaining({ version: 1, heartRate: expect.objectContaining({ enabled: true }) }),
    );
    expect((await api.get(`/api/beds/${p.bed.id}/rules`)).body).toEqual(
      expect.objectContaining({ version: 0, body: {} }),
    );

    const bad = await api.put(`/api/beds/${p.bed.id}/rules`, {
      heartRate: { major: { forMs: -5 } },
      spo2: { enabled: 'yes' },
      bogus: 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.details.errors.map((e: any) => e.path).sort()).toEqual([
      'bogus',
      'heartRate.major.forMs',
      'spo2.enabled',
    ]);

    const org = await api.put(`/api/organisations/${p.org.id}/rules`, { heartRate: { major: { high: 125 } } });
    expect(org.status).toBe(200);
    expect(org.body).toEqual(expect.objectContaining({ scope: 'organisation', version: 1, author: 'admin' }));
    const v1 = await api.put(`/api/beds/${p.bed.id}/rules`, { heartRate: { major: { forMs: 60_000 } } });
    expect(v1.body).toEqual(expect.objectContaining({ scope: 'bed', scopeId: p.bed.id, version: 1, author: 'admin' }));
    const v2 = await api.put(`/api/beds/${p.bed.id}/rules`, { heartRate: { major: { forMs: 30_000 } } });
    expect(v2.body.version).toBe(2);
    expect((await api.get(`/api/beds/${p.bed.id}/rules/history`)).body.map((v: any) => v.version)).toEqual([2, 1]);

    const effective = (await api.get(`/api/beds/${p.bed.id}/rules/effective`)).body;
    expect(effective.layers).toEqual({ organisation: 1, bed: 2, timeZone: 'Asia/Shanghai' });
    expect(effective.ruleSet.heartRate.major).toEqual({ low: 45, high: 125, forMs: 30_000 });
    expect((await api.get(`/api/organisations/${p.org.id}/rules/history`)).body).toHaveLength(1);
  });
});

describe('maintenance silence', () => {
  it('records a silence, suppresses alarms that begin under it, and alerts again once it ends', async () => {
    const p = await api.provisionBed('silence');
    const creds = p.devices.button.credentials as Creds;
    const btn = await connectDevice(hub.mqttUrl, creds);
    clients.push(btn);
    const press = (id: string) =>
      btn.publishAsync(
        eventsTopic(creds.deviceId),
        JSON.stringify({ eventId: id, type: 'button.pressed', ts: Date.now() }),
        { qos: 1 },
      );

    const until = new Date(Date.now() + 3600_000).toISOString();
    const s = await api.post(`/api/beds/${p.bed.id}/silence`, { until, reason: 'mattress replacement' });
    expect(s.status).toBe(201);
    expect(s.body).toEqual(
      expect.objectContaining({ bedId: p.bed.id, until, reason: 'mattress replacement', actor: 'admin' }),
    );
    await press('s-1');
    await waitFor(
      async () => (await api.get(`/api/alarms?bedId=${p.bed.id}&includeSuppressed=true`)).body.length === 1,
      { what: 'suppressed alarm recorded' },
    );
    expect((await api.get(`/api/alarms?bedId=${p.bed.id}`)).body).toEqual([]);
    expect(stream.events.filter((e) => e.data.alarm.bedId === p.bed.id)).toEqual([]);

    expect((await api.call('DELETE', `/api/beds/${p.bed.id}/silence`)).body).toEqual({ ended: 1 });
    expect((await api.get(`/api/beds/${p.bed.id}/silences`)).body[0]).toEqual(
      expect.objectContaining({ endedBy: 'admin' }),
    );
    await press('s-2');
    const e = await stream.waitFor((x) => x.type === 'alarm.raised' && x.data.alarm.bedId === p.bed.id);
    expect(e.data.alarm).toEqual(expect.objectContaining({ kind: 'sos', severity: 'critical' }));
    expect(
      (
        await api.post(`/api/beds/${p.bed.id}/silence`, {
          until: new Date(Date.now() - 1000).toISOString(),
          reason: 'x',
        })
      ).status,
    ).toBe(400);
  });
});

describe('backtest', () => {
  it('replays stored telemetry through a proposed rule set and lists the alarms it would have raised', async () => {
    const p = await api.provisionBed('backtest');
    const creds = p.devices.mattress.credentials as Creds;
    const mat = await connectDevice(hub.mqttUrl, creds);
    clients.push(mat);
    const t0 = Date.now() - 90_000;
    // 90 s of tachycardia at 130 bpm: under the default 2 min hold, over a proposed 30 s one.
    const samples = Array.from({ length: 19 }, (_, i) => ({
      ts: t0 + i * 5000,
      inBed: true,
      heartRate: 130,
      respirationRate: 14,
      signalQuality: 90,
    }));
    await mat.publishAsync(telemetryTopic(creds.deviceId), JSON.stringify({ ts: Date.now(), seq: 1, samples }), {
      qos: 1,
    });
    const range = { from: new Date(t0 - 1000).toISOString(), to: new Date(t0 + 91_000).toISOString() };
    await waitFor(
      async () => (await api.get(`/api/devices/${creds.deviceId}/telemetry?from=${range.from}`)).body.length === 19,
      { what: 'telemetry stored' },
    );

    const current = await api.post(`/api/beds/${p.bed.id}/backtest`, range);
    expect(current.status).toBe(200);
    expect(current.body.inputs.telemetry).toBe(19);
    expect(current.body.alarms.filter((a: any) => a.kind === 'heart_rate')).toEqual([]);

    const proposed = await api.post(`/api/beds/${p.bed.id}/backtest`, {
      ...range,
      override: { heartRate: { major: { forMs: 30_000 } } },
    });
    expect(proposed.body.alarms.filter((a: any) => a.kind === 'heart_rate')).toEqual([
      expect.objectContaining({
        severity: 'major',
        startedAt: new Date(t0).toISOString(),
        raisedAt: new Date(t0 + 30_000).toISOString(),
      }),
    ]);

    const invalid = await api.post(`/api/beds/${p.bed.id}/backtest`, {
      ...range,
      override: { heartRate: { major: { forMs: 'soon' } } },
    });
    expect(invalid.status).toBe(400);
  });
});

describe('registry changes reach the rules', () => {
  it('a device unbound from a bed clears its offline alarm there', async () => {
    const p = await api.provisionBed('moved');
    expect((await api.put(`/api/beds/${p.bed.id}/rules`, { deviceOffline: { graceMs: 0 } })).status).toBe(200); // the Last Will counts at once
    const creds = p.devices.wearable.credentials as Creds;
    const client = await connectDevice(hub.mqttUrl, creds);
    await client.publishAsync(
      telemetryTopic(creds.deviceId),
      JSON.stringify({ ts: Date.now(), seq: 1, samples: [{ heartRate: 70, worn: true }] }),
      { qos: 1 },
    );
    (client as any).stream.destroy(); // vanish: the Last Will marks it offline
    const raised = await stream.waitFor(
      (e) => e.type === 'alarm.raised' && e.data.alarm.bedId === p.bed.id && e.data.alarm.kind === 'device_offline',
      10_000,
    );
    expect((await api.call('DELETE', `/api/devices/${creds.deviceId}/bed`)).status).toBe(200);
    const cleared = await stream.waitFor(
      (e) => e.type === 'alarm.cleared' && e.data.alarm.id === raised.data.alarm.id,
      10_000,
    );
    expect(cleared.data.alarm.cleared).toBe(true);
    const detail = (await api.get(`/api/alarms/${raised.data.alarm.id}`)).body;
    expect(detail.timeline.map((t: any) => t.note ?? '')).toEqual(
      expect.arrayContaining([expect.stringMatching(/device removed from this bed/)]),
    );
  }, 30_000);
});
