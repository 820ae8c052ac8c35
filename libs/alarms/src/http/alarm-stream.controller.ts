import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { Authenticated, SessionStreams, type AuthUser } from '@bedside/auth';
import { ApiExtraModels, ApiOkResponse, ApiProduces, ApiQuery, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Subscription } from 'rxjs';
import { DomainError } from '@bedside/common';
import { isDatabaseUnavailable } from '@bedside/database';
import { AlarmsConfig } from '../alarms.config';
import type { AlarmStreamEvent } from '../model/alarm-record';
import { AlarmRepository } from '../persistence/alarm.repository';
import { AlarmStream } from '../runtime/alarm-stream';
import { AlarmContextService } from '../services/alarm-context.service';
import { ProvisionalAlarms } from '../provisional/provisional-alarms.service';
import type { ProvisionalNotice } from '../provisional/provisional-alarm';
import { OpenStreams } from './open-streams';
import { ProvisionalAlarmDto, ProvisionalStoredDto } from './provisional-alarm.dto';

const PAGE = 1000;
const REPLAY_RETRY_MS = 2000;

/**
 * Server-Sent Events over the durable alarm_events log. With Last-Event-ID (header or
 * ?lastEventId=) the missed events are replayed from the database first, then live ones follow;
 * live events are buffered during the replay and deduplicated by id, so there is no gap and no
 * duplicate at the seam.
 *
 * Calls for help the database has not stored yet travel on the same stream as notices without
 * an id (`provisional.alarm`, `provisional.stored`): they are not part of the journal, so a
 * resumption is unaffected by them, and every open one is sent first to a console that connects.
 */
@ApiTags('alarms')
@Controller('api/alarms')
export class AlarmStreamController {
  constructor(
    private readonly stream: AlarmStream,
    private readonly alarms: AlarmRepository,
    private readonly config: AlarmsConfig,
    private readonly streams: OpenStreams,
    private readonly context: AlarmContextService,
    private readonly provisional: ProvisionalAlarms,
    private readonly sessions: SessionStreams,
  ) {}

  @Get('stream')
  @Authenticated({ permission: 'alarm.read', residentData: true })
  @ApiProduces('text/event-stream')
  @ApiExtraModels(ProvisionalAlarmDto, ProvisionalStoredDto)
  @ApiOkResponse({
    description:
      'Server-Sent Events. Journal events carry an `id` and `data: {alarm, at}`: `' +
      'alarm.raised`, `alarm.updated`, `alarm.escalated`, `alarm.acknowledged`, `alarm.cleared`, `alarm.resolved`. ' +
      'Notices without an id, outside the journal: `provisional.alarm` (data: ProvisionalAlarmDto, a call for ' +
      'help not stored yet) and `provisional.stored` (data: ProvisionalStoredDto; the alarm follows on the journal ' +
      'with `details.deviceId` and `details.eventId` of the call).',
    content: {
      'text/event-stream': {
        schema: {
          oneOf: [{ $ref: getSchemaPath(ProvisionalAlarmDto) }, { $ref: getSchemaPath(ProvisionalStoredDto) }],
        },
      },
    },
  })
  @ApiQuery({
    name: 'lastEventId',
    required: false,
    description: 'resume after this event id (same as the Last-Event-ID header)',
  })
  async open(
    @Req() req: Request & { user?: AuthUser },
    @Res() res: Response,
    @Query('lastEventId') lastEventIdQuery?: string,
  ): Promise<void> {
    const organisationId = req.user?.organisationId ?? null;
    const raw = req.header('last-event-id') ?? lastEventIdQuery;
    if (raw !== undefined && !/^\d{1,15}$/.test(raw))
      throw new DomainError('VALIDATION_FAILED', 'Last-Event-ID must be a non-negative integer', { lastEventId: raw });

    if (!this.streams.add(res)) throw new DomainError('UNAVAILABLE', 'the hub is shutting down; reconnect shortly');
    this.sessions.hold(req, res); // closed when the session ends, here or on another hub
    let cursor = raw === undefined ? null : Number(raw);
    let live = false;
    let closed = false;
    const buffered: AlarmStreamEvent[] = [];
    // Events are enriched with who and where (an async lookup, mostly cached) and written in order.
    let writing: Promise<void> = Promise.resolve();
    const write = (events: readonly AlarmStreamEvent[]) => {
      const due = events.filter((e) => {
        if (closed || (cursor !== null && e.id <= cursor)) return false;
        cursor = e.id;
        return !organisationId || e.alarm.organisationId === organisationId; // organisation isolation
      });
      if (due.length === 0) return writing;
      writing = writing
        .then(async () => {
          const alarms = await this.context.enrich(due.map((e) => e.alarm)).catch(() => due.map((e) => e.alarm));
          if (closed || res.writableEnded) return;
          res.write(
            due
              .map(
                (e, i) => `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify({ alarm: alarms[i], at: e.at })}\n\n`,
              )
              .join(''),
          );
        })
        .catch(() => undefined);
      return writing;
    };
    // Subscribe before reading the log: anything committed after the read is then in the buffer.
    const sub = this.stream.live$.subscribe((e) => (live ? void write([e]) : buffered.push(e)));
    const storedWhileReplaying: (() => void)[] = [];
    // A call not stored yet is written at once, never behind the enrichment of journal events,
    // which needs the database; its stored notice goes behind them, after the alarm it names.
    const notify = (n: ProvisionalNotice) => {
      if (organisationId && n.notice.organisationId !== organisationId) return; // organisation isolation
      const send = () => {
        if (!closed && !res.writableEnded) res.write(`event: ${n.type}\ndata: ${JSON.stringify(n.notice)}\n\n`);
      };
      if (n.type === 'provisional.alarm') send();
      else if (live) writing = writing.then(send);
      else storedWhileReplaying.push(send);
    };
    let provisional: Subscription | null = null;
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), this.config.heartbeatMs);
    req.on('close', () => {
      closed = true;
      sub.unsubscribe();
      provisional?.unsubscribe();
      clearInterval(heartbeat);
    });

    // The heartbeat period lets a client tell a silent, dead connection from a quiet one.
    res.status(200).set({
      'x-heartbeat-ms': String(this.config.heartbeatMs),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    if (!closed) provisional = this.provisional.notices$.subscribe(notify);
    for (const notice of this.provisional.openFor(organisationId)) notify({ type: 'provisional.alarm', notice });
    for (;;) {
      try {
        if (cursor === null) {
          const last = await this.alarms.lastEventId();
          // Read late (the database was unreachable at connect): what was committed since the
          // connect is buffered, and must still be sent.
          cursor = buffered.length > 0 ? Math.min(last, buffered[0].id - 1) : last;
        }
        for (;;) {
          const page = await this.alarms.eventsAfter(cursor, PAGE);
          await write(page);
          if (page.length < PAGE || closed) break;
        }
        break;
      } catch (err) {
        if (closed) return;
        if (!isDatabaseUnavailable(err)) {
          res.write(`: replay failed: ${(err as Error).message}\n\n`);
          res.end();
          return;
        }
        // The database is unreachable: the stream stays open for calls not yet stored, and the
        // replay resumes from the last event written once the database answers (live events wait).
        res.write(': replay waiting for the database\n\n');
        await new Promise((r) => setTimeout(r, REPLAY_RETRY_MS));
        if (closed) return;
      }
    }
    void write(buffered.splice(0));
    for (const send of storedWhileReplaying.splice(0)) writing = writing.then(send);
    live = true;
  }
}
