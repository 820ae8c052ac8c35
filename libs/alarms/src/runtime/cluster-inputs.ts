import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@bedside/common';
import { DatabaseHealth } from '@bedside/database';
import type { DeviceStatusChange, StoredDeviceEvent } from '@bedside/ingest';
import type { DeviceAccessChange } from '@bedside/registry';
import type { RuleInput } from '@bedside/rules';
import type { TelemetryPoint } from '@bedside/telemetry';
import { BedContextRepository, type LoggedDeviceEvent } from '../persistence/bed-context.repository';
import { RuleSetRepository } from '../persistence/rule-set.repository';
import { sightings, type SilentDevice } from './bed-evaluation';
import { BedOwnership } from './bed-ownership';
import { PartitionEventRepair } from './partition-event-repair';
import { PartitionFastPath, type BedInputMessage } from './partition-fast-path';
import { RuleChangeWatch } from './rule-change-watch';
import { TELEMETRY_BATCH_MS } from './telemetry-batch';

/** Where inputs for the beds this node owns are delivered (the rules runner). */
export interface OwnedInputs {
  telemetry(points: TelemetryPoint[]): void;
  event(e: StoredDeviceEvent | LoggedDeviceEvent): void;
  status(s: DeviceStatusChange): void;
  access(c: DeviceAccessChange): void;
  rules(bedIds: string[] | null): Promise<void>;
}

type EventKey = Pick<LoggedDeviceEvent, 'deviceId' | 'eventId' | 'receivedAt'>;

/**
 * Readings for other nodes' beds are gathered this long and sent as one message per owner node:
 * one NATS message per forwarded device message cost more CPU (client, server, proxy) than the
 * evaluation itself. As long as the owner gathers its own telemetry before evaluating it
 * (TelemetryBatch), so a forwarded reading waits at most twice what a local one does: far below
 * the seconds that vital-sign and presence rules hold for. Device events are never held.
 */
const READINGS_BATCH_MS = TELEMETRY_BATCH_MS;

/**
 * Clustered mode's inputs for the rules runner: what this node received for other nodes' beds
 * goes to their owners on the fast path (PartitionFastPath), what they send for this node's
 * beds comes back in, and two reads of PostgreSQL repair what the fast path dropped: the
 * events stored for the partitions held (PartitionEventRepair) and the rule-set versions
 * appended (RuleChangeWatch). In a single process none of it runs.
 */
@Injectable()
export class ClusterInputs {
  private readonly log = new Logger('RulesRunner');
  private repair: PartitionEventRepair | null = null;
  private ruleWatch: RuleChangeWatch | null = null;
  private readonly readings = new Map<string, TelemetryPoint[]>();
  private readingsTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ownership: BedOwnership,
    private readonly fastPath: PartitionFastPath,
    private readonly contexts: BedContextRepository,
    private readonly ruleSets: RuleSetRepository,
    private readonly clock: Clock,
    private readonly database: DatabaseHealth,
  ) {}

  start(owned: OwnedInputs): void {
    if (!this.ownership.clustered) return;
    this.fastPath.attach((m) => this.received(m, owned));
    this.repair = new PartitionEventRepair({
      databaseNow: () => this.contexts.databaseNow(),
      read: (partitions, since, limit) => this.contexts.partitionEventsStoredSince(partitions, since, limit),
      held: () => this.ownership.heldPartitions(),
      deliver: (e) => owned.event(e),
      elapsed: () => this.clock.now(),
      onError: (err) => this.readFailed('stored events of owned partitions not read', err),
    });
    this.ruleWatch = new RuleChangeWatch({
      appendedAfter: (id) => this.ruleSets.appendedAfter(id),
      bedsOfOrganisation: (id) => this.contexts.bedsOfOrganisation(id),
      changed: (ids) => owned.rules(ids === null ? null : ids.filter((id) => this.owns(id))),
      onError: (err) => this.readFailed('rule changes not looked for', err),
    });
    this.repair.start();
    this.ruleWatch.start();
  }

  async stop(): Promise<void> {
    this.flushReadings();
    this.fastPath.detach();
    await this.repair?.stop();
    await this.ruleWatch?.stop();
  }

  owns(bedId: string): boolean {
    return this.ownership.tokenFor(bedId) !== undefined;
  }

  /** True the first time this node meets a device event (clustered: from any path). */
  firstSight(e: EventKey): boolean {
    return this.repair?.firstSight(e) ?? true;
  }

  /** The event was not evaluated after all: the next read of the database delivers it again. */
  unsee(e: EventKey): void {
    this.repair?.unsee(e);
  }

  /**
   * Clustered: the devices about to be marked offline for silence may have been heard from by
   * another node whose readings did not arrive (the fast path down or dropping). What each node
   * stored as their last-seen instant is read, and given to the rules as sightings, so only a
   * device that no node heard from is offline. Read only for devices already past the limit.
   */
  async storedSightings(silent: readonly SilentDevice[]): Promise<RuleInput[]> {
    return sightings(silent, await this.contexts.lastSeenOf(silent.map((d) => d.deviceId)));
  }

  /** Sends the input to the bed's owner when that is another node; false when it is this one's. */
  forward(bedId: string, message: BedInputMessage): boolean {
    if (!this.ownership.clustered || this.owns(bedId)) return false;
    this.fastPath.send(this.ownership.partitionOf(bedId), message);
    return true;
  }

  /**
   * Gathers other nodes' readings for their owners (one message per owner node every
   * READINGS_BATCH_MS; to the partition's subject while its owner is not known yet); returns
   * this node's. The receiver checks its own lease: readings sent to a node that just gave a
   * partition up are dropped, and the next ones go to the new owner.
   */
  forwardTelemetry(points: readonly TelemetryPoint[]): readonly TelemetryPoint[] {
    if (!this.ownership.clustered) return points;
    const mine: TelemetryPoint[] = [];
    for (const p of points) {
      if (!p.bedId) continue;
      if (this.owns(p.bedId)) {
        mine.push(p);
        continue;
      }
      const node = this.ownership.ownerNodeOf(p.bedId);
      if (node === undefined) {
        this.fastPath.send(this.ownership.partitionOf(p.bedId), { kind: 'bed.telemetry', points: [p] });
        continue;
      }
      const list = this.readings.get(node);
      if (list) list.push(p);
      else this.readings.set(node, [p]);
    }
    if (this.readings.size > 0 && !this.readingsTimer) {
      this.readingsTimer = setTimeout(() => this.flushReadings(), READINGS_BATCH_MS);
      this.readingsTimer.unref();
    }
    return mine;
  }

  private flushReadings(): void {
    if (this.readingsTimer) clearTimeout(this.readingsTimer);
    this.readingsTimer = null;
    for (const [node, points] of this.readings) this.fastPath.sendToNode(node, { kind: 'bed.telemetry', points });
    this.readings.clear();
  }

  /** Tells the owners of other nodes' beds (every owner for null) that rules changed; returns this node's share. */
  forwardRulesChanged(bedIds: string[] | null): string[] | null {
    if (!this.ownership.clustered) return bedIds;
    if (bedIds === null) {
      this.fastPath.sendToAll({ kind: 'bed.rules', bedIds: null });
      return null;
    }
    const mine: string[] = [];
    const elsewhere = new Map<number, string[]>();
    for (const id of bedIds) {
      if (this.owns(id)) {
        mine.push(id);
        continue;
      }
      const p = this.ownership.partitionOf(id);
      const list = elsewhere.get(p);
      if (list) list.push(id);
      else elsewhere.set(p, [id]);
    }
    for (const [p, ids] of elsewhere) this.fastPath.send(p, { kind: 'bed.rules', bedIds: ids });
    return mine;
  }

  /**
   * From another node, for a partition this node holds. Never passed on again: when the
   * partition moved meanwhile, an event is read from the database by its new owner and a
   * reading is superseded by the next.
   */
  private received(m: BedInputMessage, owned: OwnedInputs): void {
    switch (m.kind) {
      case 'bed.telemetry':
        return owned.telemetry(m.points.filter((p) => p.bedId && this.owns(p.bedId)));
      case 'bed.event':
        if (m.event.bedId && this.owns(m.event.bedId)) owned.event(m.event);
        return;
      case 'bed.status':
        if (m.change.bedId && this.owns(m.change.bedId)) owned.status(m.change);
        return;
      case 'bed.access':
        if (m.change.fromBedId && this.owns(m.change.fromBedId)) owned.access(m.change);
        return;
      case 'bed.rules':
        void owned.rules(m.bedIds === null ? null : m.bedIds.filter((id) => this.owns(id)));
        return;
    }
  }

  private readFailed(msg: string, err: unknown): void {
    if (!this.database.unavailable('rules', err)) this.log.error({ msg, err: (err as Error).message });
  }
}
