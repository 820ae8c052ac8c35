import { openEventStream, type StreamStatus } from '../api/event-stream';

const VISIT_EVENTS = new Set(['visit.planned', 'visit.changed', 'visit.overdue']);

export interface VisitStreamHandlers {
  /** A visit was planned, changed or flagged overdue. */
  onChange: () => void;
  /** After every (re)connect: the stream is live only, so what happened meanwhile must be read. */
  onOpen: () => void;
  onStatus: (s: StreamStatus) => void;
}

/** The visit stream (live only: no resume), reconnecting after a drop. Returns `close()`. */
export function openVisitStream(handlers: VisitStreamHandlers): () => void {
  return openEventStream({
    path: '/api/visits/stream',
    resume: false,
    onStatus: handlers.onStatus,
    onOpen: () => handlers.onOpen(),
    onMessage: (m) => {
      if (m.event && VISIT_EVENTS.has(m.event)) handlers.onChange();
    },
  });
}
