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
import { AlarmContextRepository } from '../persistence/alarm-context.repository';
import { BedLabels } from './bed-labels';
import { ProvisionalAlarmBoard } from './provisional-alarm-board';
import {
  provisionalKey,
  type ProvisionalAlarm,
  type ProvisionalNotice,
  type ProvisionalStored,
} from './provisional-alarm';

/** Beds of devices that connected are looked up together, at most this often. */
const LABEL_BATCH_MS = 1000;
const LABEL_BATCH_SIZE = 1000;

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

  constructor(
    private readonly ingest: IngestEvents,
    private readonly labels: BedLabels,
    private readonly context: AlarmContextRepository,
    private readonly database: DatabaseHealth,
    private readonly clock: Clock,
    private readonly env: EnvDto,
    @Optional() @Inject(ClusterBus) private readonly bus?: ClusterBus,
  ) {}

  onApplicationBootstrap(): void {
    this.subscriptions.push(
      this.ingest.unstoredCall$.subscribe((c) => this.unstored(c)),
      this.ingest.storedCall$.subscribe((c) => this.stored(c)),
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
    if (!this.board.markStored(key, now)) return;
    this.announce({
      type: 'provisional.stored',
      notice: {
        key,
        organisationId: call.organisationId,
        deviceId: call.deviceId,
        eventId: call.eventId,
        bedId: call.bedId,
        storedAt: new Date(now).toISOString(),
      },
    });
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
      if (this.board.markStored(stored.key, now)) this.notices$.next({ type: 'provisional.stored', notice: stored });
    }
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
