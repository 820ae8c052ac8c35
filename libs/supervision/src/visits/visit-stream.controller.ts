import { Controller, Get, Req, Res, type BeforeApplicationShutdown } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Authenticated, SessionStreams, type AuthUser } from '@bedside/auth';
import { DomainError } from '@bedside/common';
import { isOverdue } from './domain/overdue';
import { VisitEvents } from './visit-events';

const HEARTBEAT_MS = 15_000;

/**
 * Live visit events as Server-Sent Events: visit.planned, visit.changed and visit.overdue
 * (an open visit passed its due time; sent once per visit, when the planner first sees it).
 * Separate from the alarm stream on purpose: visits are advisory work orders, and a console
 * that shows alarms must not have to filter them out. Live only: a client that reconnects
 * reads the current list (`GET /api/visits?overdue=true`) instead of a replay.
 */
@ApiTags('visits')
@Controller('api/visits')
export class VisitStreamController implements BeforeApplicationShutdown {
  private readonly open = new Set<Response>();
  private closing = false;

  constructor(
    private readonly events: VisitEvents,
    private readonly sessions: SessionStreams,
  ) {}

  /** Open streams would hold the HTTP server open at shutdown: end them first. */
  beforeApplicationShutdown(): void {
    this.closing = true;
    for (const res of this.open) res.end(': hub shutting down\n\n');
    this.open.clear();
  }

  @Get('stream')
  @Authenticated({ permission: 'dispatch.read', residentData: true })
  @ApiProduces('text/event-stream')
  stream(@Req() req: Request & { user?: AuthUser }, @Res() res: Response): void {
    if (this.closing) throw new DomainError('UNAVAILABLE', 'the hub is shutting down; reconnect shortly');
    this.open.add(res);
    this.sessions.hold(req, res); // closed when the session ends, here or on another hub
    const organisationId = req.user?.organisationId ?? null;
    res.status(200).set({
      'x-heartbeat-ms': String(HEARTBEAT_MS),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    const sub = this.events.events$.subscribe((e) => {
      if (organisationId && e.visit.organisationId !== organisationId) return; // organisation isolation
      const visit = { ...e.visit, overdue: isOverdue(e.visit, e.at) };
      res.write(`event: ${e.type}\ndata: ${JSON.stringify({ visit, at: e.at })}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    req.on('close', () => {
      this.open.delete(res);
      sub.unsubscribe();
      clearInterval(heartbeat);
    });
  }
}
