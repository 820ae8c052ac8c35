import { Controller, Get, Header, HttpStatus, Optional, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RulesRunner } from '@bedside/alarms';
import { Public } from '@bedside/auth';
import { BrokerService } from '@bedside/broker';
import { DatabasePeers, LeaseManager } from '@bedside/cluster';
import { Database, DatabaseHealth } from '@bedside/database';
import { Metrics } from '@bedside/observability';

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    private readonly broker: BrokerService,
    private readonly database: Database,
    private readonly databaseHealth: DatabaseHealth,
    private readonly metrics: Metrics,
    private readonly rules: RulesRunner,
    @Optional() private readonly leases?: LeaseManager,
    @Optional() private readonly peers?: DatabasePeers,
  ) {}

  /** Liveness: the broker listens and the database answers. */
  @Public()
  @Get('health')
  async health(@Res() res: Response) {
    const checks = await this.checks();
    const ok = checks.database.reachable && checks.broker.listening;
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({ status: ok ? 'ok' : 'unavailable', checks });
  }

  /**
   * Readiness: the broker listens and the rules engine has finished boot recovery, so alarms
   * flow. A load balancer or a rolling restart waits for this before sending devices and
   * consoles over. A clustered node whose clock is too far from the database's is not ready
   * either: the events it would store carry instants the partition owners cannot trust.
   *
   * A database outage does not make a node unready. The database is every node's: taking nodes
   * out of rotation for it would disconnect every device and console at the moment a call for
   * help can only be heard, and shown as not yet stored, by a node that stays reachable. So it
   * is reported as last known (`DatabaseHealth`), without a ping a stalled database could hold.
   * A clustered node cut off from the database alone (the others say they reach it) is not
   * ready: its devices and consoles are better served by the others.
   */
  @Public()
  @Get('health/ready')
  ready(@Res() res: Response) {
    const checks = {
      broker: this.brokerCheck(),
      database: {
        reachable: !this.databaseHealth.down,
        engine: this.database.engine,
        ...(this.peers && { cutOffAlone: this.peers.cutOffAlone }),
      },
      rules: { recovery: this.rules.recovery, partitionsRecovering: this.rules.partitionsRecovering },
      ...(this.leases && {
        cluster: {
          node: this.leases.nodeId,
          partitionsHeld: this.leases.heldPartitions().length,
          clockSkewMs: this.leases.clockAgainstDatabase.skewMs,
          clockInSync: this.leases.clockAgainstDatabase.inSync,
        },
      }),
    };
    const ok =
      checks.broker.listening &&
      checks.rules.recovery === 'done' &&
      !checks.database.cutOffAlone &&
      (checks.cluster?.clockInSync ?? true);
    res
      .status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .json({ status: ok ? 'ready' : 'not ready', checks });
  }

  private async checks() {
    const reachable = await this.databaseHealth.reachable();
    return { broker: this.brokerCheck(), database: { reachable, engine: this.database.engine } };
  }

  private brokerCheck() {
    return {
      listening: this.broker.listening,
      ports: this.broker.ports,
      connectedDevices: this.broker.connectedDevices,
    };
  }

  @Public()
  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4')
  async prometheus() {
    return this.metrics.registry.metrics();
  }
}
