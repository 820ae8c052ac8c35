import { Controller, Get, Header, HttpStatus, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@bedside/auth';
import { BrokerService } from '@bedside/broker';
import { Database } from '@bedside/database';
import { Metrics } from '@bedside/observability';

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(private readonly broker: BrokerService, private readonly database: Database, private readonly metrics: Metrics) {}

  /** Liveness and readiness in one: the broker listens and the database answers. */
  @Public()
  @Get('health')
  async health(@Res() res: Response) {
    const database = await this.database.ping();
    const broker = this.broker.listening;
    const ok = database && broker;
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({
      status: ok ? 'ok' : 'unavailable',
      checks: { broker: { listening: broker, ports: this.broker.ports, connectedDevices: this.broker.connectedDevices }, database: { reachable: database, engine: this.database.engine } },
    });
  }

  @Public()
  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4')
  async prometheus() {
    return this.metrics.registry.metrics();
  }
}
