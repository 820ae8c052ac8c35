import type { Migration } from 'kysely';
import { foundation } from './0001-foundation';
import { alarms } from './0002-alarms';
import { identity } from './0003-identity';
import { callcentre } from './0004-callcentre';
import { bedStateVersion } from './0005-bed-state-version';
import { userLifecycle } from './0006-user-lifecycle';
import { nightSummaries } from './0007-night-summaries';
import { alarmAckOutbox } from './0008-alarm-ack-outbox';
import { callHandling } from './0009-call-handling';
import { regions } from './0010-regions';
import { cluster } from './0011-cluster';
import { visits } from './0012-visits';
import { deviceSessions } from './0013-device-sessions';
import { visitAssigneeBedService } from './0014-visit-assignee-bed-service';
import { dispatchDue } from './0015-dispatch-due';
import { dispatchOverdueNoted } from './0016-dispatch-overdue-noted';
import { telemetryMinutes } from './0017-telemetry-minutes';
import { liveSessions } from './0018-live-sessions';
import { eventStoredAt } from './0019-event-stored-at';

/** Every schema change, in order. Names are permanent: never rename or edit an applied one. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-alarms': alarms,
  '0003-identity': identity,
  '0004-callcentre': callcentre,
  '0005-bed-state-version': bedStateVersion,
  '0006-user-lifecycle': userLifecycle,
  '0007-night-summaries': nightSummaries,
  '0008-alarm-ack-outbox': alarmAckOutbox,
  '0009-call-handling': callHandling,
  '0010-regions': regions,
  '0011-cluster': cluster,
  '0012-visits': visits,
  '0013-device-sessions': deviceSessions,
  '0014-visit-assignee-bed-service': visitAssigneeBedService,
  '0015-dispatch-due': dispatchDue,
  '0016-dispatch-overdue-noted': dispatchOverdueNoted,
  '0017-telemetry-minutes': telemetryMinutes,
  '0018-live-sessions': liveSessions,
  '0019-event-stored-at': eventStoredAt,
};
