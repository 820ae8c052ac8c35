import { Injectable, Logger, Optional } from '@nestjs/common';
import { Clock, DomainError, notFound } from '@bedside/common';
import { ClusterBus, isFenced, type BusMessage } from '@bedside/cluster';
import { AlarmRepository } from '../persistence/alarm.repository';
import { BedOwnership } from './bed-ownership';
import { localMethod, type BedLocator } from './on-bed-owner.decorator';

/** How long a call waits for a partition that is moving (a takeover completes within the lease TTL). */
const MOVING_WAIT_MS = 10_000;
const RETRY_MS = 250;
/** One request's answer time: an operator change is one transaction on the owner. */
const REQUEST_TIMEOUT_MS = 5_000;

export interface OwnerCall {
  service: string;
  method: string;
  locate: BedLocator;
  args: unknown[];
}

interface OwnerCallMessage extends BusMessage, Omit<OwnerCall, 'locate'> {
  kind: 'owner.call';
}
interface OwnerReply extends BusMessage {
  kind: 'owner.result';
  result: unknown;
}

/**
 * Runs a change to a bed's alarms on the node that owns the bed (OnBedOwner): here when this node
 * owns it (always, in a single process), else asked of the owner over the cluster bus. While the
 * partition is moving (nobody answers, or the owner's lease is not vouched for) the call waits
 * and tries again; a request whose outcome is unknown (it timed out) is not repeated, because
 * the owner may have applied it.
 */
@Injectable()
export class OwnerRouter {
  private readonly log = new Logger('OwnerRouter');
  private readonly services = new Map<string, object>();
  private readonly served = new Map<number, () => void>();

  constructor(
    private readonly ownership: BedOwnership,
    private readonly alarms: AlarmRepository,
    private readonly clock: Clock,
    @Optional() private readonly bus?: ClusterBus,
  ) {
    this.ownership.listen({
      acquired: (partition) => this.serve(partition),
      released: (partition) => this.unserve(partition),
    });
  }

  /** A service whose OnBedOwner methods other nodes may ask this node to run. */
  register(service: object): void {
    this.services.set(service.constructor.name, service);
  }

  async route(call: OwnerCall, local: () => Promise<unknown>): Promise<unknown> {
    if (!this.ownership.clustered) return local();
    const bedId = await this.bedOf(call);
    const partition = this.ownership.partitionOf(bedId);
    const giveUpAt = this.clock.now() + MOVING_WAIT_MS;
    for (;;) {
      try {
        if (this.ownership.tokenFor(bedId) !== undefined) return await local();
        return await this.ask(partition, call);
      } catch (err) {
        if (!isMoving(err) || this.clock.now() >= giveUpAt) throw err;
      }
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }

  private async bedOf(call: OwnerCall): Promise<string> {
    const first = call.args[0];
    if (typeof first !== 'string') throw new TypeError(`${call.service}.${call.method}: first argument is not an id`);
    if (call.locate === 'bed') return first;
    const bedId = await this.alarms.bedOf(first);
    if (!bedId) throw notFound('alarm', first);
    return bedId;
  }

  private async ask(partition: number, call: OwnerCall): Promise<unknown> {
    if (!this.bus) throw unavailable(partition, 'no cluster bus');
    const message: OwnerCallMessage = {
      kind: 'owner.call',
      service: call.service,
      method: call.method,
      args: call.args,
    };
    const reply = await this.bus.requestPartition<OwnerReply>(partition, message, REQUEST_TIMEOUT_MS);
    return reply.result;
  }

  private serve(partition: number): void {
    if (!this.bus || this.served.has(partition)) return;
    this.served.set(
      partition,
      this.bus.servePartition<OwnerCallMessage, OwnerReply>(partition, async (m) => {
        const service = this.services.get(m.service);
        const run = service && localMethod(m.service, m.method);
        if (!run) throw new DomainError('NOT_FOUND', `no routed method ${m.service}.${m.method}`);
        // A request that arrives as the lease lapses is refused as moving; the caller asks again.
        return { kind: 'owner.result', result: (await run.apply(service, m.args)) ?? null };
      }),
    );
  }

  private unserve(partition: number): void {
    this.served.get(partition)?.();
    this.served.delete(partition);
    this.log.debug?.({ msg: 'stopped answering for partition', partition });
  }
}

function isMoving(err: unknown): boolean {
  if (isFenced(err)) return true;
  if (!(err instanceof DomainError) || err.code !== 'PARTITION_UNAVAILABLE') return false;
  const reason = err.details?.reason;
  // Not delivered (nobody answers, no connection) or refused before running: safe to repeat.
  return reason === undefined || reason === 'no_responders' || reason === 'disconnected';
}

function unavailable(partition: number, why: string): DomainError {
  return new DomainError('PARTITION_UNAVAILABLE', `partition ${partition} is held by another node (${why})`, {
    partition,
  });
}
