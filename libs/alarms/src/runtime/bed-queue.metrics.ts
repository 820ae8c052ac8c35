import { Counter, Gauge, Histogram } from 'prom-client';
import type { Metrics } from '@bedside/observability';
import type { BedQueue, PriorityStart } from './bed-queue';

/** The rules runner's queue in the hub's one registry (GET /metrics): is a call for help evaluated first? */
export class BedQueueMetrics {
  private readonly priorityWait: Histogram;
  private readonly overtaken: Counter;

  constructor(private readonly metrics: Metrics) {
    const registers = [metrics.registry];
    this.priorityWait = new Histogram({
      name: 'bedside_rules_priority_wait_seconds',
      help: 'Time an SOS, fall or tamper input waited in the rules runner before its evaluation started',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.overtaken = new Counter({
      name: 'bedside_rules_priority_overtaken_beds_total',
      help: 'Beds with queued evaluations (telemetry, status, timers) that a priority input started ahead of, summed',
      registers,
    });
  }

  priorityStarted(s: PriorityStart): void {
    this.priorityWait.observe(s.waitedMs / 1000);
    if (s.overtook > 0) this.overtaken.inc(s.overtook);
  }

  /** Inputs queued and not started, read at scrape time. */
  watch(queue: BedQueue): void {
    new Gauge({
      name: 'bedside_rules_queued_inputs',
      help: 'Rule evaluations queued in the rules runner and not started yet, every bed',
      registers: [this.metrics.registry],
      collect() {
        this.set(queue.queued);
      },
    });
  }
}
