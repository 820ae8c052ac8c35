import { Injectable, Logger, Optional, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { DomainError } from '@bedside/common';
import { ClusterBus, type BusMessage } from '@bedside/cluster';
import type { AckMessageDto, CommandMessageDto } from '@bedside/contracts';
import { DatabaseHealth } from '@bedside/database';
import { RegistryEvents, type DeviceAccessChange } from '@bedside/registry';
import type { DeliveryOutcome } from '../acknowledged-delivery';
import { BrokerService } from '../broker.service';
import { DownlinkPublisher } from '../downlink.publisher';
import { DeviceSessionRepository } from './device-session.repository';

/** One downlink's answer time from the node holding the connection. */
const REQUEST_TIMEOUT_MS = 3_000;

type Command = Omit<CommandMessageDto, 'ts'>;
type Ack = Omit<AckMessageDto, 'ts'>;

type NodeRequest =
  | (BusMessage & { kind: 'device.command'; deviceId: string; command: Command })
  | (BusMessage & { kind: 'device.ack'; deviceId: string; ack: Ack });
type NodeReply = BusMessage & { kind: 'device.sent'; outcome: DeliveryOutcome | 'sent' };
type NodeNotice = BusMessage & { kind: 'device.access'; change: DeviceAccessChange };

/**
 * Downlinks that must reach a device wherever its connection is. In a single process that is
 * here or nowhere. Clustered, the node holding the connection is found in device_sessions (kept
 * here from the broker's connections) and asked over the cluster bus: a command (QoS 1 to a live
 * session only), a confirmed alarm ack (the outbox keeps it until the device's PUBACK), and a
 * revocation or rebinding made through another node's REST API.
 */
@Injectable()
export class DeviceDownlinks implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('DeviceDownlinks');
  private subs: Subscription[] = [];
  private unserve: (() => void)[] = [];

  constructor(
    private readonly broker: BrokerService,
    private readonly downlink: DownlinkPublisher,
    private readonly sessions: DeviceSessionRepository,
    private readonly registry: RegistryEvents,
    private readonly database: DatabaseHealth,
    @Optional() private readonly bus?: ClusterBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const bus = this.bus;
    if (!bus) return;
    await this.sessions.clearNode(bus.nodeId);
    this.subs = [
      this.broker.connections$.subscribe((c) => {
        const { deviceId, authenticatedAt } = c.session;
        const write =
          c.state === 'connected'
            ? this.sessions.connected(deviceId, bus.nodeId, authenticatedAt)
            : this.sessions.disconnected(deviceId, bus.nodeId, authenticatedAt);
        write.catch((err) => this.failed('device session not recorded', err));
      }),
      this.registry.deviceAccess$.subscribe((c) => void this.forwardAccess(c)),
    ];
    this.unserve = [
      bus.serveNode<NodeRequest, NodeReply>(bus.nodeId, (m) => this.serve(m)),
      bus.subscribeNode<NodeNotice>(bus.nodeId, (m) => {
        if (m.kind === 'device.access') this.broker.applyAccessChange(m.change.deviceId, m.change.reason);
      }),
    ];
  }

  onModuleDestroy(): void {
    this.subs.forEach((s) => s.unsubscribe());
    this.unserve.forEach((u) => u());
  }

  /** Sends a command to the device's live session, here or on the node holding it; CONFLICT when it has none. */
  async sendCommand(deviceId: string, command: Command): Promise<void> {
    if (this.broker.isConnected(deviceId)) return this.downlink.sendCommand(deviceId, command);
    const node = await this.remoteNode(deviceId);
    if (node) {
      const reply = await this.ask(node, { kind: 'device.command', deviceId, command });
      if (reply?.outcome === 'sent') return;
    }
    throw notConnected(deviceId);
  }

  /** An ack confirmed by the device's PUBACK, from whichever node holds its connection. */
  async sendAckConfirmed(deviceId: string, ack: Ack): Promise<DeliveryOutcome> {
    if (this.broker.isConnected(deviceId) || !this.bus) return this.downlink.sendAckConfirmed(deviceId, ack);
    const node = await this.remoteNode(deviceId).catch(() => null);
    if (!node) return 'not-delivered';
    const reply = await this.ask(node, { kind: 'device.ack', deviceId, ack });
    return reply && reply.outcome !== 'sent' ? reply.outcome : 'not-delivered';
  }

  private async serve(m: NodeRequest): Promise<NodeReply> {
    if (!this.broker.isConnected(m.deviceId)) throw notConnected(m.deviceId);
    if (m.kind === 'device.command') {
      await this.downlink.sendCommand(m.deviceId, m.command);
      return { kind: 'device.sent', outcome: 'sent' };
    }
    return { kind: 'device.sent', outcome: await this.downlink.sendAckConfirmed(m.deviceId, m.ack) };
  }

  /** A revocation or rebinding made here for a device connected to another node. */
  private async forwardAccess(change: DeviceAccessChange): Promise<void> {
    if (!this.bus || this.broker.isConnected(change.deviceId)) return;
    try {
      const node = await this.remoteNode(change.deviceId);
      if (node) this.bus.publishToNode(node, { kind: 'device.access', change } satisfies NodeNotice);
    } catch (err) {
      this.failed('device access change not passed on', err);
    }
  }

  private async remoteNode(deviceId: string): Promise<string | null> {
    if (!this.bus) return null;
    const node = await this.sessions.nodeOf(deviceId);
    return node && node !== this.bus.nodeId ? node : null;
  }

  /** The node's answer, or null when it is gone or no longer has the device. */
  private async ask(node: string, request: NodeRequest): Promise<NodeReply | null> {
    try {
      return await this.bus!.requestNode<NodeReply>(node, request, REQUEST_TIMEOUT_MS);
    } catch (err) {
      if (err instanceof DomainError && (err.code === 'NODE_UNAVAILABLE' || err.code === 'CONFLICT')) return null;
      throw err;
    }
  }

  private failed(msg: string, err: unknown): void {
    if (!this.database.unavailable('device sessions', err)) this.log.error({ msg, err: (err as Error).message });
  }
}

function notConnected(deviceId: string): DomainError {
  return new DomainError('CONFLICT', `device ${deviceId} is not connected; the command was not sent`, { deviceId });
}
