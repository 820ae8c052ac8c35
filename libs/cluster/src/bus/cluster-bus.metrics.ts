import { Counter, Gauge } from 'prom-client';
import type { Metrics } from '@bedside/observability';
import type { BusCounters, BusDropReason, BusTargetKind } from './cluster-bus';

/** The cluster bus's counters, in the hub's one registry (GET /metrics). */
export class ClusterBusMetrics implements BusCounters {
  private readonly publishedTotal: Counter<'target'>;
  private readonly receivedTotal: Counter<'target'>;
  private readonly droppedTotal: Counter<'target' | 'reason'>;
  private readonly undecodableTotal: Counter<'target'>;
  private readonly handlerFailuresTotal: Counter<'target'>;
  private readonly requestFailuresTotal: Counter<'target' | 'reason'>;
  private readonly connectedGauge: Gauge;

  constructor(metrics: Metrics) {
    const registers = [metrics.registry];
    this.publishedTotal = new Counter({
      name: 'bedside_cluster_bus_published_total',
      help: 'Messages handed to NATS for a partition owner or a node, by target',
      labelNames: ['target'] as const,
      registers,
    });
    this.receivedTotal = new Counter({
      name: 'bedside_cluster_bus_received_total',
      help: 'Messages and requests received from NATS, by target',
      labelNames: ['target'] as const,
      registers,
    });
    this.droppedTotal = new Counter({
      name: 'bedside_cluster_bus_dropped_total',
      help: 'Fast-path messages and replies not sent (PostgreSQL repairs what they carried), by target and reason',
      labelNames: ['target', 'reason'] as const,
      registers,
    });
    this.undecodableTotal = new Counter({
      name: 'bedside_cluster_bus_undecodable_total',
      help: 'Messages, requests and replies received that were not a valid bus envelope, by target',
      labelNames: ['target'] as const,
      registers,
    });
    this.handlerFailuresTotal = new Counter({
      name: 'bedside_cluster_bus_handler_failures_total',
      help: 'Bus message handlers that threw something other than a domain error, by target',
      labelNames: ['target'] as const,
      registers,
    });
    this.requestFailuresTotal = new Counter({
      name: 'bedside_cluster_bus_request_failures_total',
      help: 'Requests nobody answered, by target and reason (no_responders, timeout, disconnected, error)',
      labelNames: ['target', 'reason'] as const,
      registers,
    });
    this.connectedGauge = new Gauge({
      name: 'bedside_cluster_bus_connected',
      help: '1 while this node is connected to NATS',
      registers,
    });
  }

  published(target: BusTargetKind): void {
    this.publishedTotal.inc({ target });
  }
  received(target: BusTargetKind): void {
    this.receivedTotal.inc({ target });
  }
  dropped(target: BusTargetKind, reason: BusDropReason): void {
    this.droppedTotal.inc({ target, reason });
  }
  undecodable(target: BusTargetKind): void {
    this.undecodableTotal.inc({ target });
  }
  handlerFailed(target: BusTargetKind): void {
    this.handlerFailuresTotal.inc({ target });
  }
  requestFailed(target: BusTargetKind, reason: string): void {
    this.requestFailuresTotal.inc({ target, reason });
  }
  connected(up: boolean): void {
    this.connectedGauge.set(up ? 1 : 0);
  }
}
