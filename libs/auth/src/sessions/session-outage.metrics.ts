import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { Metrics } from '@bedside/observability';

/** Console sessions answered without the database, in the hub's one registry (GET /metrics). */
@Injectable()
export class SessionOutageMetrics {
  readonly answered: Counter<'outcome'>;

  constructor(metrics: Metrics) {
    this.answered = new Counter({
      name: 'bedside_auth_sessions_without_database_total',
      help: 'Console requests authenticated while the database was unreachable: remembered (served from memory) or refused (503)',
      labelNames: ['outcome'] as const,
      registers: [metrics.registry],
    });
  }
}
