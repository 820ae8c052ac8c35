import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every Prometheus metric the hub exports, in one registry (served at GET /metrics). */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly messagesReceived = new Counter({
    name: 'bedside_mqtt_messages_received_total',
    help: 'Device messages received, by channel',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  readonly messagesStored = new Counter({
    name: 'bedside_mqtt_messages_stored_total',
    help: 'Device messages stored, by channel',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  readonly messagesDuplicate = new Counter({
    name: 'bedside_mqtt_messages_duplicate_total',
    help: 'Redelivered device messages recognised and stored once',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  readonly messagesRejected = new Counter({
    name: 'bedside_mqtt_messages_rejected_total',
    help: 'Device messages rejected, by reason code',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly storeFailures = new Counter({
    name: 'bedside_ingest_store_failures_total',
    help: 'Messages not acknowledged because storage failed (the device retransmits)',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  readonly authFailures = new Counter({
    name: 'bedside_mqtt_auth_failures_total',
    help: 'Refused MQTT logins, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly connectionsRefused = new Counter({
    name: 'bedside_mqtt_connections_refused_total',
    help: 'Connections dropped before login, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly aclDenials = new Counter({
    name: 'bedside_mqtt_acl_denials_total',
    help: "Publishes or subscriptions outside a device's own topics",
    labelNames: ['action'] as const,
    registers: [this.registry],
  });
  readonly connectedDevices = new Gauge({
    name: 'bedside_mqtt_connected_devices',
    help: 'Devices connected now',
    registers: [this.registry],
  });
  readonly storeLatency = new Histogram({
    name: 'bedside_ingest_store_seconds',
    help: 'Time from receiving a message to having it stored',
    labelNames: ['channel'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /** The call centre's clock: a button press or fall reaching the operators' live stream. */
  readonly eventToAlarm = new Histogram({
    name: 'bedside_alarm_event_to_stream_seconds',
    help: 'Time from receiving a device event to the alarm it raised or updated on the live stream',
    labelNames: ['kind'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    // The event-loop delay histogram samples with a timer. At Node's default of every 10 ms its
    // wake-ups were a large share of an idle hub's CPU, a fixed cost each node of a cluster pays;
    // sampled every 100 ms a stall still shows in the percentiles and the max.
    collectDefaultMetrics({ register: this.registry, prefix: 'bedside_', eventLoopMonitoringPrecision: 100 });
  }
}
