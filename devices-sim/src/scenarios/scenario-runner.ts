import type { DeviceKind } from '@bedside/contracts';
import type { CommonOptions } from '../cli/common-options';
import { fmtMs, type Output } from '../cli/output';
import { openAlarmStream, type AlarmStream, type RaisedAlarm } from '../hub/alarm-stream';
import type { BedCredentials } from '../hub/credentials';
import { createBedModels } from '../models/bed-models';
import type { SignalModel } from '../models/model.types';
import { DeviceClient } from '../mqtt/device-client';
import { ScenarioContext } from './scenario-context';
import type { ScenarioDefinition, ScenarioOptions } from './scenario-definition';

export type Verdict = 'pass' | 'fail' | 'skip';

export interface ScenarioResult {
  verdict: Verdict;
  reason: string;
  alarms: RaisedAlarm[];
  /** The alarm that met (or, for no-alarm, broke) the expectation. */
  matched: RaisedAlarm | null;
  acks: number;
  errors: number;
  durationMs: number;
}

/** Connects the scenario's devices, watches the alarm stream for the bed, runs the script, judges it. */
export async function runScenario(
  def: ScenarioDefinition,
  bed: BedCredentials,
  common: CommonOptions,
  o: ScenarioOptions & { timeScale: number },
  out: Output,
): Promise<ScenarioResult> {
  const expectation = def.expect(o);
  const devices: Partial<Record<DeviceKind, DeviceClient>> = {};
  const models: Partial<Record<DeviceKind, SignalModel>> = {};
  const bedModels = createBedModels(common.seed, 0);
  let acks = 0;
  let errors = 0;
  for (const kind of def.devices) {
    const client = new DeviceClient(bed.devices[kind], kind, { mqttUrl: common.mqtt, firstSeq: Date.now() });
    await client.connect();
    await client.subscribeDownlinks();
    client.on('ack', (a: { eventId: string; status: string; alarmId?: string }) => {
      acks++;
      out.line(`  <- ${kind} ack ${a.eventId}: ${a.status}${a.alarmId ? `, alarm ${a.alarmId}` : ''}`);
      out.record({ type: 'ack', kind, ...a });
    });
    client.on('hub-error', (e: { code: string; message: string }) => {
      errors++;
      if (expectation.type !== 'errors') out.line(`  <- ${kind} error ${e.code}: ${e.message}`);
      out.record({ type: 'error', kind, ...e });
    });
    await client.publishStatus({
      state: 'online',
      ts: Date.now(),
      firmware: 'sim-1.0',
      rssi: -58,
      ...(kind !== 'mattress' && { battery: 80 }),
    });
    devices[kind] = client;
    models[kind] = bedModels[kind];
  }
  out.line(
    `connected ${def.devices.map((k) => `${k} ${bed.devices[k].deviceId}`).join(', ')}; status online (retained)`,
  );

  let stream: AlarmStream | null = null;
  let noStream = '';
  if (expectation.type !== 'errors') {
    if (!common.admin) noStream = 'no --admin credentials to read the alarm stream';
    else {
      const auth = 'Basic ' + Buffer.from(`${common.admin.username}:${common.admin.password}`).toString('base64');
      const opened = await openAlarmStream(common.hub, auth);
      if (opened.available) stream = opened.stream;
      else noStream = opened.reason;
    }
  }
  const done = new AbortController();
  const alarms: RaisedAlarm[] = [];
  // Device-scoped kinds (offline, battery) name the device in `subject`: the alarm must be that device's.
  const subject = expectation.type === 'alarm' && expectation.device ? bed.devices[expectation.device].deviceId : null;
  const matches = (a: RaisedAlarm) =>
    'kind' in expectation && a.kind === expectation.kind && (subject === null || a.subject === subject);
  stream?.onAlarm((a) => {
    if (a.bedId !== bed.bedId) return;
    alarms.push(a);
    out.line(
      out.paint(
        'info',
        `  <- hub raised alarm ${a.kind} (${a.severity}) id ${a.id}${a.subject ? ` for ${a.subject}` : ''}`,
      ),
    );
    out.record({ type: 'alarm', ...a });
    if (matches(a)) done.abort();
  });
  if (noStream) out.line(out.paint('skip', `alarm step will be skipped: ${noStream}`));

  const ctx = new ScenarioContext(devices, models, o.timeScale, done.signal, out);
  const t0 = Date.now();
  let failure: Error | null = null;
  try {
    await def.run(ctx, o);
  } catch (err) {
    failure = err as Error;
  }
  stream?.close();
  await Promise.all(Object.values(devices).map((d) => d.end()));
  const durationMs = Date.now() - t0;
  const hit = alarms.find(matches) ?? null;
  const base = { alarms, acks, errors, durationMs, matched: hit };
  if (failure) return { ...base, verdict: 'fail', reason: failure.message };
  if (expectation.type === 'errors') return { ...base, verdict: 'pass', reason: expectation.note };
  if (noStream) return { ...base, verdict: 'skip', reason: `skipped: ${noStream}` };
  if (expectation.type === 'alarm') {
    const what = `${expectation.kind} alarm${subject ? ` for ${expectation.device} ${subject}` : ''}`;
    if (!hit) return { ...base, verdict: 'fail', reason: `no ${what} for bed ${bed.bedId} (${expectation.note})` };
    if (hit.severity !== expectation.severity)
      return {
        ...base,
        verdict: 'fail',
        reason: `${what} ${hit.id} raised as ${hit.severity}, expected ${expectation.severity}`,
      };
    return {
      ...base,
      verdict: 'pass',
      reason: `${hit.kind} alarm ${hit.id} (${hit.severity}) raised ${fmtMs(hit.receivedAt - t0)} into the scenario`,
    };
  }
  return hit
    ? { ...base, verdict: 'fail', reason: `unexpected ${hit.kind} alarm ${hit.id}` }
    : { ...base, verdict: 'pass', reason: `no ${expectation.kind} alarm (${expectation.note})` };
}
