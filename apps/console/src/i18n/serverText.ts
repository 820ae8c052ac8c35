import type { Alarm } from '../api/types';

/** What wording an alarm needs: a list row, the stream and the history all carry it. */
type AlarmText = Pick<Alarm, 'kind' | 'reason' | 'message' | 'details' | 'raisedAt'>;
import { formatDateTime, toMs } from './format';
import type { I18n, Params } from './I18nProvider';

type Details = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const minutesBetween = (from: unknown, to: unknown) => {
  const a = toMs(from as number),
    b = toMs(to as number);
  return Number.isFinite(a) && Number.isFinite(b) ? Math.max(0, Math.round((b - a) / 60_000)) : null;
};

/** The reason code and its parameters, from what the rules stored with the alarm. */
function reasonOf(alarm: AlarmText, tx: I18n['tx']): { key: string; params: Params } | null {
  const reason = alarm.reason ?? '';
  const d: Details = alarm.details;
  const device = tx('devices.kind', typeof d.deviceKind === 'string' ? d.deviceKind : 'other');
  if (reason === 'offline_repeat') {
    return { key: 'note.offline_repeat', params: { device, count: num(d.repeat) ?? '—' } };
  }
  if (reason.startsWith('offline_')) {
    return d.lastSeenAt
      ? { key: 'reason.offline_since', params: { device, at: formatDateTime(d.lastSeenAt as number) } }
      : { key: 'reason.offline', params: { device } };
  }
  const vital = /^(heart_rate|respiration|spo2)_(low|high)$/.exec(reason);
  if (vital && num(d.value) !== null) {
    const limit = vital[2] === 'low' ? d.low : d.high;
    return {
      key: `reason.vital_${vital[2]}`,
      params: {
        vital: tx('vital', vital[1]),
        value: num(d.value)!,
        limit: num(limit) ?? '—',
        unit: tx('unit', vital[1]),
        s: Math.round((num(d.forMs) ?? 0) / 1000),
      },
    };
  }
  switch (reason) {
    case 'sos_pressed':
    case 'fall_not_cancelled':
    case 'fall_motionless':
    case 'tamper':
    case 'sos_cancelled':
    case 'fall_cancelled':
      return { key: `reason.${reason}`, params: {} };
    case 'battery_low':
      return { key: 'reason.battery_low', params: { device, battery: num(d.battery) ?? '—' } };
    case 'not_worn':
      return {
        key: 'reason.not_worn',
        params: { h: Math.round((minutesBetween(d.removedSince, alarm.raisedAt) ?? 0) / 60) },
      };
    case 'night_absence':
      return { key: 'reason.night_absence', params: { min: minutesBetween(d.absentSince, alarm.raisedAt) ?? '—' } };
    case 'absent_too_long':
      return { key: 'reason.absent_too_long', params: { min: minutesBetween(d.absentSince, alarm.raisedAt) ?? '—' } };
    case 'not_back_by':
      return {
        key: 'reason.not_back_by',
        params: { time: typeof d.returnBy === 'string' || typeof d.returnBy === 'number' ? String(d.returnBy) : '—' },
      };
    case 'still_active_after_silence':
      return { key: 'reason.still_active_after_silence', params: { kind: tx('kind', alarm.kind) } };
    default:
      return null;
  }
}

const VITAL_NOTE = /^(heart_rate|respiration|spo2)_(normal|escalated)$/;

/**
 * A rule's note that does not raise (a repeat, a recovery) as a message key with its parameters;
 * null when the code is not one of these or lacks what its wording needs.
 */
function ruleNoteOf(reason: string, d: Details, alarm: Alarm, tx: I18n['tx']): { key: string; params: Params } | null {
  const kind = d.deviceKind ?? alarm.details?.deviceKind;
  const device = typeof kind === 'string' ? tx('devices.kind', kind) : null;
  const vital = VITAL_NOTE.exec(reason);
  if (vital?.[2] === 'normal') return { key: 'note.vital_normal', params: { vital: tx('vital', vital[1]) } };
  if (vital && num(d.value) !== null) {
    // A worse band of the same vital: worded like a raise, on the side the value broke out of.
    const below = num(d.low) !== null && num(d.value)! < num(d.low)!;
    return reasonOf({ ...alarm, reason: `${vital[1]}_${below ? 'low' : 'high'}`, details: d }, tx);
  }
  switch (reason) {
    case 'sos_repeat':
      return num(d.presses) === null ? null : { key: 'note.sos_repeat', params: { count: num(d.presses)! } };
    case 'fall_repeat':
    case 'tamper_repeat':
    case 'worn_again':
    case 'device_removed':
      return { key: `note.${reason}`, params: {} };
    case 'returned_to_bed':
      return { key: 'note.back_in_bed', params: {} };
    case 'back_online':
      return device ? { key: 'note.back_online', params: { device } } : null;
    case 'battery_ok':
      return device && num(d.battery) !== null
        ? { key: 'note.battery_ok', params: { device, battery: num(d.battery)! } }
        : null;
    default:
      return null;
  }
}

/**
 * The alarm's description in the UI language, from its reason code and details. An unknown
 * code shows the hub's own text only in English, and the kind's name otherwise.
 */
export function describeAlarm(alarm: AlarmText, { tx, tn, locale }: Pick<I18n, 'tx' | 'tn' | 'locale'>): string {
  const r = reasonOf(alarm, tx);
  const s = r && tn(r.key, r.params);
  if (s) return s;
  return locale === 'en' && alarm.message ? alarm.message : tx('kind', alarm.kind);
}

/** Notes the hub writes in English (rules, escalations, dispatches), as message keys with parameters. */
const NOTE_PATTERNS: { re: RegExp; key: string; params?: (m: RegExpExecArray, tx: I18n['tx']) => Params }[] = [
  { re: /^call button pressed$/, key: 'reason.sos_pressed' },
  { re: /^call button pressed again \((\d+) presses\)$/, key: 'note.sos_repeat', params: (m) => ({ count: m[1] }) },
  { re: /^resident cancelled the call on the device$/, key: 'reason.sos_cancelled' },
  { re: /^cancel with no open call$/, key: 'note.cancel_no_call' },
  { re: /^fall detected and not cancelled$/, key: 'reason.fall_not_cancelled' },
  { re: /^fall detected, no movement after it$/, key: 'reason.fall_motionless' },
  { re: /^no movement after the fall$/, key: 'note.fall_no_movement' },
  { re: /^another fall detected$/, key: 'note.fall_repeat' },
  {
    re: /^resident cancelled the fall alert (?:within the cancel window|after it was raised)$/,
    key: 'reason.fall_cancelled',
  },
  { re: /^device reports tampering$/, key: 'reason.tamper' },
  { re: /^tamper reported again$/, key: 'note.tamper_repeat' },
  {
    re: /^(mattress|button|wearable) battery at (\d+)%$/,
    key: 'reason.battery_low',
    params: (m, tx) => ({ device: tx('devices.kind', m[1]), battery: m[2] }),
  },
  {
    re: /^(mattress|button|wearable) back online$/,
    key: 'note.back_online',
    params: (m, tx) => ({ device: tx('devices.kind', m[1]) }),
  },
  {
    re: /^(mattress|button|wearable) reported offline(?: \(last will\))?$/,
    key: 'reason.offline',
    params: (m, tx) => ({ device: tx('devices.kind', m[1]) }),
  },
  {
    re: /^(mattress|button|wearable) offline again \((\d+) times while this alarm was open\)$/,
    key: 'note.offline_repeat',
    params: (m, tx) => ({ device: tx('devices.kind', m[1]), count: m[2] }),
  },
  {
    re: /^no message from (mattress|button|wearable) for (\d+) min$/,
    key: 'note.silent',
    params: (m, tx) => ({ device: tx('devices.kind', m[1]), min: m[2] }),
  },
  { re: /^wearable not worn for (\d+) h$/, key: 'reason.not_worn', params: (m) => ({ h: m[1] }) },
  { re: /^wearable worn again$/, key: 'note.worn_again' },
  { re: /^device removed from this bed$/, key: 'note.device_removed' },
  { re: /^back in bed$/, key: 'note.back_in_bed' },
  { re: /^out of bed during the night for (\d+) min$/, key: 'reason.night_absence', params: (m) => ({ min: m[1] }) },
  { re: /^out of bed for (\d+) min$/, key: 'reason.absent_too_long', params: (m) => ({ min: m[1] }) },
  { re: /^not back in bed by (.+)$/, key: 'reason.not_back_by', params: (m) => ({ time: m[1] }) },
  {
    re: /^(heart rate|respiration rate|SpO2) (\d+(?:\.\d+)?) (bpm|\/min|%) beyond the (major|critical) band for (\d+) s$/,
    key: 'note.vital',
    params: (m, tx) => ({
      vital: tx('vitalLabel', m[1]),
      value: m[2],
      unit: m[3] === 'bpm' ? tx('unit', 'heart_rate') : m[3] === '%' ? '%' : tx('unit', 'respiration'),
      tier: tx('severity', m[4]),
      s: m[5],
    }),
  },
  {
    re: /^(heart rate|respiration rate|SpO2) back to normal$/,
    key: 'note.vital_normal',
    params: (m, tx) => ({ vital: tx('vitalLabel', m[1]) }),
  },
  { re: /^unacknowledged, escalation level (\d+)$/, key: 'note.escalated', params: (m) => ({ level: m[1] }) },
  {
    re: /^not shown on any console within (\d+) s; escalation level (\d+)$/,
    key: 'note.not_displayed',
    params: (m) => ({ s: m[1], level: m[2] }),
  },
  { re: /^cleared before acknowledgement$/, key: 'note.cleared_before_ack' },
  { re: /^maintenance silence$/, key: 'note.maintenance_silence' },
  {
    re: /^escalation stopped while held: ([^]*)$/,
    key: 'note.hold_escalation_stopped',
    params: (m) => ({ reason: m[1] }),
  },
  {
    re: /^(\w+) still active when the maintenance silence ended$/,
    key: 'reason.still_active_after_silence',
    params: (m, tx) => ({ kind: tx('kind', m[1]) }),
  },
  {
    re: /^(key-holder|community worker|ambulance) ([^]+?) dispatched(?:: ([^]*))?$/,
    key: 'note.dispatched',
    params: (m, tx) => ({
      type: tx(
        'dispatch.type',
        m[1] === 'key-holder' ? 'keyholder' : m[1] === 'community worker' ? 'community_worker' : 'ambulance',
      ),
      name: m[2],
      note: m[3] ? ` — ${m[3]}` : '',
    }),
  },
  {
    re: /^([^]+?): (en route|on site|closed|dispatched)(?: \(([^]*)\))?$/,
    key: 'note.dispatch_status',
    params: (m, tx) => ({
      name: m[1],
      status: tx('dispatch.status', m[2].replace(' ', '_')),
      note: m[3] ? ` — ${m[3]}` : '',
    }),
  },
];

/** A timeline note in the UI language when the hub wrote it; an operator's own text is left as typed. */
export function localiseNote(note: string, { tx, tn }: Pick<I18n, 'tx' | 'tn'>): string {
  for (const p of NOTE_PATTERNS) {
    const m = p.re.exec(note);
    if (m) return tn(p.key, p.params?.(m, tx)) ?? note;
  }
  return note;
}

type CodedParams = Record<string, string | number | boolean>;
const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const withDash = (v: unknown) => (str(v) ? ` — ${str(v)}` : '');

/** Parameters of each coded note as its message wants them (worded values, formatted times). */
const CODED: Record<string, (p: CodedParams, tx: I18n['tx']) => Params> = {
  escalated: (p) => ({ level: str(p.level) }),
  not_displayed: (p) => ({ s: str(p.s), level: str(p.level) }),
  cleared_before_ack: () => ({}),
  maintenance_silence: () => ({}),
  severity_raised: (p, tx) => ({ from: tx('severity', str(p.from)), to: tx('severity', str(p.to)) }),
  held: (p) => ({ until: formatDateTime(str(p.until)), reason: str(p.reason) }),
  held_escalating: (p) => ({ until: formatDateTime(str(p.until)), reason: str(p.reason) }),
  hold_ended: () => ({}),
  hold_escalation_stopped: (p) => ({ reason: str(p.reason) }),
  hold_returned: (p) => ({ reason: str(p.reason), level: str(p.level) }),
  call: (p, tx) => ({
    name: str(p.name),
    phone: str(p.phone),
    outcome: tx('call.outcome', str(p.outcome)),
    note: withDash(p.note),
  }),
  dispatched: (p, tx) => ({ type: tx('dispatch.type', str(p.type)), name: str(p.name), note: withDash(p.note) }),
  dispatch_status: (p, tx) => ({
    name: str(p.name),
    status: tx('dispatch.status', str(p.status)),
    note: withDash(p.note),
  }),
  dispatch_overdue: (p, tx) => ({
    type: tx('dispatch.type', str(p.type)),
    name: str(p.name),
    step: tx('dispatch.step', str(p.step)),
    due: formatDateTime(str(p.due)),
    min: str(p.minutes),
  }),
};

/**
 * A timeline note in the UI language: from its code and parameters when the hub stored them,
 * else (older entries) from the English text by pattern; an operator's own text as typed.
 */
export function timelineText(
  e: { at?: Alarm['raisedAt']; note: string | null; code?: string | null; params?: CodedParams | null },
  i18n: Pick<I18n, 'tx' | 'tn'>,
  alarm?: Alarm,
): string {
  // A rule's note (`rule.<reason>`): worded like an alarm with that reason and details, when known.
  if (e.code?.startsWith('rule.') && alarm) {
    const reason = e.code.slice(5);
    const params = e.params ?? {};
    const r =
      ruleNoteOf(reason, params, alarm, i18n.tx) ??
      reasonOf({ ...alarm, reason, details: params, raisedAt: e.at ?? alarm.raisedAt }, i18n.tx);
    const s = r && i18n.tn(r.key, r.params);
    if (s) return s;
  }
  if (e.code && CODED[e.code]) {
    const params = e.params ?? {};
    const key = e.code === 'held' && params.escalates === true ? 'held_escalating' : e.code;
    const s = i18n.tn(`note.${key}`, CODED[key](params, i18n.tx));
    if (s) return s;
  }
  return e.note ? localiseNote(e.note, i18n) : '';
}

/** `system`, `device:…` and usernames as people read them. */
export function actorName(actor: string | null, actors: Record<string, string> | undefined, t: I18n['t']): string {
  if (!actor || actor === 'system') return t('timeline.system');
  if (actor === 'device' || actor.startsWith('device:')) return t('timeline.resident');
  return actors?.[actor] ?? actor;
}
