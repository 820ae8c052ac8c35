import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
import type { Visit } from './domain/visit';

/** planned: a new visit; changed: assigned, checked in, rescheduled, noted or cancelled; overdue: flagged live. */
export interface VisitEvent {
  type: 'visit.planned' | 'visit.changed' | 'visit.overdue';
  at: number;
  visit: Visit;
}

/** Visit changes as they happen, for the live stream. */
@Injectable()
export class VisitEvents {
  readonly events$ = new Subject<VisitEvent>();
}
