import type { AlarmDetail, TimelineEntry } from '../api/types';
import { toMs } from '../i18n/format';

export interface TimelineItem extends TimelineEntry {
  key: string;
}

/** The hub's timeline (notes and dispatches included), oldest first. */
export function buildTimeline(detail: AlarmDetail): TimelineItem[] {
  return detail.timeline
    .map((e, i) => ({ ...e, key: `${i}-${e.action}-${e.at}` }))
    .sort((a, b) => (toMs(a.at) || 0) - (toMs(b.at) || 0));
}
