import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { Metrics } from '@bedside/observability';

/** The broker's own counters, in the hub's one registry (GET /metrics). */
@Injectable()
export class BrokerMetrics {
  readonly connectionsDropped: Counter<'reason'>;
  readonly quotaExceeded: Counter<'kind'>;
  readonly quotaRefusedUnparsed: Counter;
  readonly heldForOutage: Counter;
  readonly holdingForOutage: Gauge;
  readonly releasedAfterOutage: Counter;
  readonly outageLogins: Counter;

  constructor(metrics: Metrics) {
    this.connectionsDropped = new Counter({
      name: 'bedside_mqtt_connections_dropped_total',
      help: 'Live device connections the hub dropped to protect the others, by reason',
      labelNames: ['reason'] as const,
      registers: [metrics.registry],
    });
    this.quotaExceeded = new Counter({
      name: 'bedside_mqtt_quota_exceeded_total',
      help: 'Device publishes over the per-device inbound quota, by kind (messages or bytes)',
      labelNames: ['kind'] as const,
      registers: [metrics.registry],
    });
    this.quotaRefusedUnparsed = new Counter({
      name: 'bedside_mqtt_quota_refused_unparsed_total',
      help: 'Of those, the ones refused from the raw bytes of the connection, before the broker parsed them',
      registers: [metrics.registry],
    });
    this.heldForOutage = new Counter({
      name: 'bedside_mqtt_held_for_outage_total',
      help: 'Device messages left unacknowledged on an open connection, the database being unreachable',
      registers: [metrics.registry],
    });
    this.holdingForOutage = new Gauge({
      name: 'bedside_mqtt_outage_holding_connections',
      help: 'Connections holding such a message, not yet closed for their device to resend (one the device closed meanwhile counts until its turn)',
      registers: [metrics.registry],
    });
    this.releasedAfterOutage = new Counter({
      name: 'bedside_mqtt_outage_released_total',
      help: 'Connections holding such a message closed, the database being back, so that their device resends',
      registers: [metrics.registry],
    });
    this.outageLogins = new Counter({
      name: 'bedside_mqtt_outage_logins_total',
      help: 'Device logins checked against an identity this node remembered, the database being unreachable',
      registers: [metrics.registry],
    });
  }
}
