import type { DeviceKind } from '@bedside/contracts';
import type { Output } from '../cli/output';
import type { BedCredentials } from '../hub/credentials';
import type { RaisedAlarm } from '../hub/alarm-stream';
import { sleep } from '../util/sleep';
import type { SimDevice } from '../fleet/connect-devices';
import type { AnySample, ModelOutput, SignalModel } from '../models/model.types';

/** A scripted incident: what is done to which bed, when (after the fleet is streaming), and the alarm it must raise. */
export interface Incident {
  name: string;
  bedIndex: number;
  atMs: number;
  kind: string;
  severity: string;
  /** The alarm must arrive within this long after `atMs` (hold time + slack). */
  withinMs: number;
  /** Scenario whose --fast-rules override the bed gets (null: nothing to shorten). */
  rulesFrom: string | null;
  start: (ctx: IncidentContext) => Promise<string>;
}

export interface IncidentContext {
  device: (kind: DeviceKind) => SimDevice;
  override: (kind: DeviceKind, fn: ((s: AnySample) => AnySample) | null) => void;
}

export const restingInBed = (s: AnySample) => {
  const m = s as { heartRate?: number; respirationRate?: number; movement?: number; signalQuality?: number };
  return {
    ...s,
    inBed: true,
    heartRate: m.heartRate ?? 64,
    respirationRate: m.respirationRate ?? 14,
    movement: m.movement ?? 3,
    signalQuality: Math.max(m.signalQuality ?? 85, 80),
  } as AnySample;
};

export const INCIDENTS: Incident[] = [
  {
    name: 'SOS press',
    bedIndex: 0,
    atMs: 8_000,
    kind: 'sos',
    severity: 'critical',
    withinMs: 10_000,
    rulesFrom: null,
    start: async ({ device }) => {
      const { eventId } = await device('button').client.publishEvent('button.pressed');
      return `call button pressed (event ${eventId})`;
    },
  },
  {
    name: 'fall',
    bedIndex: 1,
    atMs: 14_000,
    kind: 'fall',
    severity: 'critical',
    withinMs: 20_000,
    rulesFrom: 'fall',
    start: async ({ device }) => {
      const { eventId } = await device('wearable').client.publishEvent('fall.detected', { confidence: 0.94 });
      return `wearable fall.detected (event ${eventId}), not cancelled`;
    },
  },
  {
    name: 'bradycardia',
    bedIndex: 2,
    atMs: 20_000,
    kind: 'heart_rate',
    severity: 'critical',
    withinMs: 20_000,
    rulesFrom: 'bradycardia',
    start: ({ override }) => {
      override('mattress', (s) => ({ ...restingInBed(s), heartRate: 36 }));
      setTimeout(() => override('mattress', restingInBed), 45_000).unref();
      return Promise.resolve('mattress heart rate 36 bpm for 45 s');
    },
  },
];

/** Wraps a model so the demo can replace its samples for a while (the scripted incidents). */
export class OverridableModel implements SignalModel {
  fn: ((s: AnySample) => AnySample) | null = null;
  constructor(private readonly base: SignalModel) {}
  get kind() {
    return this.base.kind;
  }
  next(t: number): ModelOutput {
    const r = this.base.next(t);
    // While overridden the sample decides presence: drop the model's own bed exits/returns.
    return this.fn ? { sample: this.fn(r.sample), events: r.events.filter((e) => !e.type.startsWith('bed.')) } : r;
  }
}

/** An incident of this run: when it started, by when its alarm is due, and the alarm that came. */
export interface IncidentProgress {
  name: string;
  bed: string;
  bedId: string | null;
  kind: string;
  severity: string;
  startedAt: number | null;
  dueBy: number | null;
  alarm: RaisedAlarm | null;
}

/** Starts each scripted incident at its time after `fleetStart` (unless stopped); their progress is pushed to `progress`. */
export function scheduleIncidents(
  progress: IncidentProgress[],
  o: {
    creds: BedCredentials[];
    devices: SimDevice[];
    models: Map<SimDevice, OverridableModel>;
    fleetStart: number;
    signal: AbortSignal;
    out: Output;
    clock: () => string;
  },
): void {
  const { creds, devices, models, fleetStart, out, clock } = o;
  const stop = { signal: o.signal };
  for (const inc of INCIDENTS) {
    const bed = creds[inc.bedIndex];
    const entry: IncidentProgress = {
      name: inc.name,
      bed: bed.label,
      bedId: bed.bedId,
      kind: inc.kind,
      severity: inc.severity,
      startedAt: null,
      dueBy: null,
      alarm: null,
    };
    progress.push(entry);
    const ctx: IncidentContext = {
      device: (kind) => devices.find((d) => d.bedIndex === inc.bedIndex && d.kind === kind)!,
      override: (kind, fn) => {
        const d = devices.find((x) => x.bedIndex === inc.bedIndex && x.kind === kind);
        if (d) models.get(d)!.fn = fn;
      },
    };
    void (async () => {
      await sleep(fleetStart + inc.atMs - Date.now(), stop.signal);
      if (stop.signal.aborted) return;
      entry.startedAt = Date.now();
      entry.dueBy = entry.startedAt + inc.withinMs;
      try {
        const what = await inc.start(ctx);
        out.line(
          `${clock()} incident on bed ${bed.label}: ${inc.name} - ${what} (expect ${inc.kind}, ${inc.severity})`,
        );
        out.record({
          type: 'incident',
          name: inc.name,
          bed: bed.label,
          bedId: bed.bedId,
          detail: what,
          expect: { kind: inc.kind, severity: inc.severity },
        });
      } catch (err) {
        out.warn(`incident ${inc.name} on bed ${bed.label} failed: ${(err as Error).message}`);
      }
    })();
  }
}
