import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Subject, type Subscription } from 'rxjs';
import { Clock } from '@bedside/common';
import { EnvDto } from '@bedside/config';
import { CALL_FOR_HELP_EVENT_TYPES, EVENT_TYPES, type DeviceKind } from '@bedside/contracts';
import { ClusterBus, type BusMessage, type BusMeta } from '@bedside/cluster';
import { DatabaseHealth } from '@bedside/database';
import { IngestEvents, type CallForHelp } from '@bedside/ingest';
import type { AlarmStreamEvent } from '../model/alarm-record';
import { AlarmContextRepository } from '../persistence/alarm-context.repository';
import { AlarmStream } from '../runtime/alarm-stream';
import { BedLabels } from './bed-labels';
import { ProvisionalAlarmBoard } from './provisional-alarm-board';
import {
  ALARM_KIND_OF_CALL,
  provisionalKey,
  type ProvisionalAlarm,
  type ProvisionalNotice,
  type ProvisionalStored,
} from './provisional-alarm';

/** Beds of devices that connected are looked up together, at most this often. */
const LABEL_BATCH_MS = 1000;
const LABEL_BATCH_SIZE = 1000;
/** A stored call waits this long for the alarm event it raised or updated. */
const ALARM_WAIT_MS = 30_000;
/** Alarm events kept to match a stored call whose alarm event came first (another node's NATS notice is later). */
const RECENT_ALARM_EVENTS = 500;

/** Device kinds that can call for help: only their beds' labels are fetched at connect. */
const CALLING_KINDS: ReadonlySet<DeviceKind> = new Set(
  [...CALL_FOR_HELP_EVENT_TYPES].flatMap((t) => EVENT_TYPES[t] as readonly DeviceKind[]),
);

interface ProvisionalBusMessage extends BusMessage {
  kind: ProvisionalNotice['type'];
  notice: ProvisionalAlarm | ProvisionalStored;
}

/**
 * Calls for help that the database has not stored yet, shown to consoles at once: this node's
 * own (from ingest) and, in clustered mode, every other node's (over NATS, `<prefix>.all.msg`),
 * deduplicated by device and event id. `notices$` feeds the console streams; `openFor` is what
 * a console connecting now is sent first. The stored call's alarm comes on the journal as usual.
 */
@Injectable()
export class ProvisionalAlarms implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('ProvisionalAlarms');
  readonly notices$ = new Subject<ProvisionalNotice>();
  private readonly board = new ProvisionalAlarmBoard();
  private readonly subscriptions: Subscription[] = [];
  private unsubscribeBus: (() => void) | null = null;
  private readonly wanted = new Set<string>();
  private labelTimer: NodeJS.Timeout | null = null;
  /** Stored calls waiting for their alarm's event, by key. */
  private readonly awaiting = new Map<
    string,
    { call: ProvisionalAlarm; stored: ProvisionalStored; timer: NodeJS.Timeout }
  >();
  private readonly recent: AlarmStreamEvent[] = [];

  constructor(
    private readonly ingest: IngestEvents,
    private readonly labels: BedLabels,
    private readonly context: AlarmContextRepository,
    private readonly database: DatabaseHealth,
    private readonly clock: Clock,
    private readonly env: EnvDto,
    private readonly alarms: AlarmStream,
    @Optional() @Inject(ClusterBus) private readonly bus?: ClusterBus,
  ) {}

  onApplicationBootstrap(): void {
    this.subscriptions.push(
      this.ingest.unstoredCall$.subscribe((c) => this.unstored(c)),
      this.ingest.storedCall$.subscribe((c) => this.stored(c)),
      this.alarms.live$.subscribe((e) => this.alarmEvent(e)),
      this.ingest.status$.subscribe((s) => {
        if (s.source === 'connection' && s.bedId && CALLING_KINDS.has(s.kind)) this.wantLabel(s.bedId);
      }),
    );
    this.unsubscribeBus = this.bus?.subscribeAll<ProvisionalBusMessage>((m, meta) => this.fromBus(m, meta)) ?? null;
  }

  onApplicationShutdown(): void {
    for (const s of this.subscriptions) s.unsubscribe();
    this.unsubscribeBus?.();
    if (this.labelTimer) clearTimeout(this.labelTimer);
    for (const w of this.awaiting.values()) clearTimeout(w.timer);
  }

  /** Open calls a console of `organisationId` (null: every organisation) should see now. */
  openFor(organisationId: string | null): ProvisionalAlarm[] {
    return this.board.openFor(organisationId, this.clock.now());
  }

  private unstored(call: CallForHelp): void {
    const now = this.clock.now();
    const key = provisionalKey(call.deviceId, call.eventId);
    if (!this.board.isNew(key, now)) return;
    const alarm: ProvisionalAlarm = {
      key,
      organisationId: call.organisationId,
      deviceId: call.deviceId,
      deviceKind: call.kind,
      bedId: call.bedId,
      eventId: call.eventId,
      eventType: call.type,
      deviceTs: new Date(call.ts).toISOString(),
      receivedAt: new Date(call.receivedAt).toISOString(),
      node: this.env.CLUSTER_NODE_ID ?? null,
      expiresAt: new Date(this.board.expiresAt(now)).toISOString(),
      ...this.labels.of(call.bedId),
    };
    this.board.add(alarm, now);
    this.log.warn({ msg: 'call for help not stored yet; shown as provisional', key, bedId: call.bedId });
    this.announce({ type: 'provisional.alarm', notice: alarm });
  }

  private stored(call: CallForHelp): void {
    const now = this.clock.now();
    const key = provisionalKey(call.deviceId, call.eventId);
    const open = this.board.markStored(key, now);
    if (!open) return;
    const stored: ProvisionalStored = {
      key,
      organisationId: call.organisationId,
      deviceId: call.deviceId,
      eventId: call.eventId,
      bedId: call.bedId,
      storedAt: new Date(now).toISOString(),
      alarmId: null,
    };
    this.bus?.publishToAll({ kind: 'provisional.stored', notice: stored } satisfies ProvisionalBusMessage);
    this.awaitAlarm(open, stored);
  }

  private announce(n: ProvisionalNotice): void {
    this.notices$.next(n);
    this.bus?.publishToAll({ kind: n.type, notice: n.notice } satisfies ProvisionalBusMessage);
  }

  /** Another node's notice (a node hears its own too, and has already served it). */
  private fromBus(m: ProvisionalBusMessage, meta: BusMeta): void {
    if (meta.from === this.bus?.nodeId) return;
    const now = this.clock.now();
    if (m.kind === 'provisional.alarm') {
      const alarm = m.notice as ProvisionalAlarm;
      if (this.board.add(alarm, now)) this.notices$.next({ type: 'provisional.alarm', notice: alarm });
    } else if (m.kind === 'provisional.stored') {
      const stored = m.notice as ProvisionalStored;
      const open = this.board.markStored(stored.key, now);
      if (open) this.awaitAlarm(open, { ...stored, alarmId: null });
    }
  }

  /**
   * Consoles are told a call is stored once its alarm is on their stream: the alarm event of the
   * call's bed and kind that the rules wrote for it (raised, or updated when one was open), so
   * the card gives way to that alarm and never stands beside it as a second one.
   */
  private awaitAlarm(call: ProvisionalAlarm, stored: ProvisionalStored): void {
    const already = this.recent.find((e) => answers(e, call));
    if (already) return this.storedNotice(stored, already.alarm.id);
    const timer = setTimeout(() => {
      this.awaiting.delete(call.key);
      this.storedNotice(stored, null);
    }, ALARM_WAIT_MS);
    timer.unref();
    this.awaiting.set(call.key, { call, stored, timer });
  }

  private alarmEvent(e: AlarmStreamEvent): void {
    this.recent.push(e);
    if (this.recent.length > RECENT_ALARM_EVENTS) this.recent.shift();
    for (const [key, w] of this.awaiting) {
      if (!answers(e, w.call)) continue;
      clearTimeout(w.timer);
      this.awaiting.delete(key);
      // After every console stream has taken the alarm event itself (they subscribed after this).
      setImmediate(() => this.storedNotice(w.stored, e.alarm.id));
    }
  }

  private storedNotice(stored: ProvisionalStored, alarmId: string | null): void {
    this.notices$.next({ type: 'provisional.stored', notice: { ...stored, alarmId } });
  }

  private wantLabel(bedId: string): void {
    if (this.labels.has(bedId) || this.database.down) return;
    this.wanted.add(bedId);
    this.labelTimer ??= setTimeout(() => void this.fetchLabels(), LABEL_BATCH_MS);
    this.labelTimer.unref();
  }

  private async fetchLabels(): Promise<void> {
    this.labelTimer = null;
    const beds = [...this.wanted].slice(0, LABEL_BATCH_SIZE);
    for (const b of beds) this.wanted.delete(b);
    if (this.wanted.size > 0) this.labelTimer = setTimeout(() => void this.fetchLabels(), LABEL_BATCH_MS);
    this.labelTimer?.unref();
    try {
      for (const [bedId, c] of await this.context.forBeds(beds)) this.labels.remember(bedId, c);
    } catch (err) {
      if (!this.database.unavailable('bed labels', err))
        this.log.warn({ msg: 'bed labels not read', err: (err as Error).message });
    }
  }
}

/** The alarm event the rules wrote for this call: its bed and kind, raised or updated after it was heard. */
function answers(e: AlarmStreamEvent, call: ProvisionalAlarm): boolean {
  return (
    (e.type === 'alarm.raised' || e.type === 'alarm.updated') &&
    e.alarm.bedId === call.bedId &&
    e.alarm.kind === ALARM_KIND_OF_CALL[call.eventType] &&
    Date.parse(e.at) >= Date.parse(call.receivedAt)
  );
}
