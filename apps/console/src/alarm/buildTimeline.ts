import type { AlarmDetail, TimelineEntry } from '../api/types';
import { toMs } from '../i18n/format';

export interface TimelineItem extends TimelineEntry {
  key: string;
}

/**
 * The hub's timeline, plus notes and dispatches when the hub lists them separately and not in
 * the timeline itself; oldest first.
 */
export function buildTimeline(detail: AlarmDetail): TimelineItem[] {
  const items: TimelineEntry[] = [...(detail.timeline ?? [])];
  const noteTexts = new Set(items.map((e) => e.note).filter(Boolean));
  for (const n of detail.notes ?? []) {
    if (!noteTexts.has(n.text))
      items.push({
        at: n.at ?? n.createdAt ?? '',
        actor: n.author ?? null,
        action: 'note',
        from: null,
        to: null,
        note: n.text,
      });
  }
  if (!items.some((e) => e.action.includes('dispatch'))) {
    for (const d of detail.dispatches ?? []) {
      items.push({
        at: d.dispatchedAt ?? d.createdAt ?? '',
        actor: null,
        action: 'dispatch',
        from: null,
        to: d.status,
        note: `${d.responderName}${d.note ? ` — ${d.note}` : ''}`,
      });
    }
  }
  return items
    .map((e, i) => ({ ...e, key: `${i}-${e.action}-${String(e.at)}` }))
    .sort((a, b) => (toMs(a.at) || 0) - (toMs(b.at) || 0));
}
