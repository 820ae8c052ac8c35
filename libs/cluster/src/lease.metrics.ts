import { Inject, Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { Metrics } from '@bedside/observability';
import { LeaseManager } from './lease-manager';

/** The node's share of the partitions and its clock against PostgreSQL's, read at each scrape. */
@Injectable()
export class LeaseMetrics {
  constructor(metrics: Metrics, @Inject(LeaseManager) leases: LeaseManager) {
    const registers = [metrics.registry];
    new Gauge({
      name: 'bedside_cluster_partitions_held',
      help: 'Partition leases this node holds',
      registers,
      collect() {
        this.set(leases.heldPartitions().length);
      },
    });
    new Gauge({
      name: 'bedside_cluster_clock_skew_seconds',
      help: "PostgreSQL's clock minus this node's, as measured at the last lease tick",
      registers,
      collect() {
        this.set(leases.clockAgainstDatabase.skewMs / 1000);
      },
    });
  }
}
