/**
 * The monthly supervision report (监管报表) computed from plain rows, so every figure can be
 * checked against an independent count. Definitions:
 * - a bed is in service while it has a resident and at least one device with valid credentials
 *   (its recorded periods in service); the report counts the beds in service at any time in the
 *   month up to the report time (`bedsInService`: one that joined or left mid-month counts in that
 *   month), their days in service within it (`bedDaysInService`, for per-bed-day accounting) and
 *   those in service at its end, or at the report time for the current month (`bedsInServiceAtEnd`);
 * - a bed's device online rate is the share of its nights' observation windows (18:00-12:00
 *   local) its mattress sent data in, from the nightly wellness summaries of the month; a night
 *   the hub has no summary for is not counted (it is reported as nightsSummarised);
 * - answer time is raise to acknowledge, over alarms raised in the month that were not under a
 *   maintenance silence; the shares within 60 s and 180 s are of all those alarms (telecare
 *   targets, as the KPI page reports them);
 * - dispatches are counted in the month they were made; overdue ones are those flagged late at
 *   any step (arrival or close-out) by the time the report is read;
 * - a visit is done in the month when its check-in found the resident at home in the month;
 *   overdue when it fell due in the month, before the report time, and was not checked in by its
 *   due time (one visited late still went overdue that month).
 */
export interface ReportPeriod {
  /** "YYYY-MM" */
  month: string;
  timeZone: string;
  /** Inclusive, ms. */
  from: number;
  /** Exclusive, ms. */
  to: number;
}

export interface ReportBed {
  bedId: string;
  label: string;
  residentId: string | null;
  householdId: string;
  districtId: string | null;
  streetId: string | null;
  createdAt: number;
  /** Devices bound to the bed whose credentials are not revoked (now). */
  devices: number;
  /** Its periods in service that overlap the month; `to` null while in service. */
  service: readonly { from: number; to: number | null }[];
}

export interface ReportNight {
  bedId: string;
  night: string;
  /** The mattress's uptime that night (0..1); null when the bed had no mattress reading at all. */
  mattressUptime: number | null;
}

export interface ReportAlarm {
  bedId: string;
  kind: string;
  raisedAt: number;
  acknowledgedAt: number | null;
  /** Null while not resolved. */
  outcome: string | null;
}

export interface ReportDispatch {
  bedId: string;
  createdAt: number;
  responderType: string;
  status: string;
  /** Flagged late at some step (arrival or close-out), whatever it became since. */
  ranLate: boolean;
}

export interface ReportVisit {
  householdId: string;
  state: string;
  source: string;
  dueAt: number;
  checkedInAt: number | null;
}

export interface ReportInput {
  period: ReportPeriod;
  /** When the report is made: nothing due after it is overdue yet. */
  now: number;
  beds: readonly ReportBed[];
  nights: readonly ReportNight[];
  alarms: readonly ReportAlarm[];
  dispatches: readonly ReportDispatch[];
  visits: readonly ReportVisit[];
}

export interface BedOnline {
  bedId: string;
  label: string;
  nightsSummarised: number;
  /** null without a summarised night. */
  onlineRate: number | null;
}

export interface SupervisionFigures {
  /** Beds in service at any time in the month (up to the report time). */
  bedsInService: number;
  /** Their days in service within the month (up to the report time), to 6 decimals (under 0.1 s). */
  bedDaysInService: number;
  /** Beds in service at the end of the month, or at the report time while it lasts. */
  bedsInServiceAtEnd: number;
  devicesInService: number;
  /** Mean of the in-service beds' nightly uptime over all their summarised nights; null without any. */
  onlineRate: number | null;
  onlineByBed: BedOnline[];
  alarms: {
    total: number;
    byKind: { kind: string; total: number; byOutcome: Record<string, number> }[];
    byOutcome: Record<string, number>;
  };
  answer: {
    acknowledged: number;
    p50Seconds: number | null;
    p90Seconds: number | null;
    within60s: number | null;
    within180s: number | null;
  };
  dispatches: { total: number; byResponder: Record<string, number>; closed: number; overdue: number };
  visits: {
    dueInMonth: number;
    done: number;
    notHome: number;
    cancelled: number;
    overdue: number;
    bySource: Record<string, number>;
  };
}

const OPEN = 'open';
const DAY_MS = 86_400_000;

export function computeSupervisionReport(input: ReportInput): SupervisionFigures {
  const { period, now } = input;
  // The month as far as it has happened: a current month ends at the report time.
  const end = Math.min(period.to, now);
  const msInService = (b: ReportBed) =>
    sum(b.service.map((p) => Math.max(0, Math.min(p.to ?? end, end) - Math.max(p.from, period.from))));
  const served = input.beds.map((b) => ({ bed: b, ms: msInService(b) }));
  // In service at `end`: a spell that began at that very instant counts, one that ended then does not.
  const atEnd =
    end < period.from
      ? []
      : input.beds.filter((b) =>
          b.service.some((p) => p.from <= end && p.from < period.to && (p.to === null || p.to > end)),
        );
  // A bed that came into service at the report time itself has no time in service yet, but counts.
  const atEndIds = new Set(atEnd.map((b) => b.bedId));
  const inService = served.filter((x) => x.ms > 0 || atEndIds.has(x.bed.bedId)).map((x) => x.bed);

  const serviceIds = new Set(inService.map((b) => b.bedId));
  const nightsByBed = new Map<string, number[]>();
  for (const n of input.nights) {
    if (!serviceIds.has(n.bedId)) continue;
    const list = nightsByBed.get(n.bedId) ?? [];
    list.push(n.mattressUptime ?? 0);
    nightsByBed.set(n.bedId, list);
  }
  const onlineByBed = inService
    .map((b) => {
      const nights = nightsByBed.get(b.bedId) ?? [];
      return {
        bedId: b.bedId,
        label: b.label,
        nightsSummarised: nights.length,
        onlineRate: nights.length ? round4(sum(nights) / nights.length) : null,
      };
    })
    .sort((a, b) => a.label.localeCompare(b.label) || a.bedId.localeCompare(b.bedId));
  const allNights = [...nightsByBed.values()].flat();

  const alarms = input.alarms.filter((a) => a.raisedAt >= period.from && a.raisedAt < period.to);
  const kinds = new Map<string, { total: number; byOutcome: Record<string, number> }>();
  const byOutcome: Record<string, number> = {};
  for (const a of alarms) {
    const k = kinds.get(a.kind) ?? { total: 0, byOutcome: {} };
    const outcome = a.outcome ?? OPEN;
    k.total++;
    k.byOutcome[outcome] = (k.byOutcome[outcome] ?? 0) + 1;
    byOutcome[outcome] = (byOutcome[outcome] ?? 0) + 1;
    kinds.set(a.kind, k);
  }
  const answerSeconds = alarms
    .filter((a) => a.acknowledgedAt !== null)
    .map((a) => (a.acknowledgedAt! - a.raisedAt) / 1000)
    .sort((x, y) => x - y);
  const within = (s: number) =>
    alarms.length ? round4(answerSeconds.filter((x) => x <= s).length / alarms.length) : null;

  const dispatches = input.dispatches.filter((d) => d.createdAt >= period.from && d.createdAt < period.to);
  const byResponder: Record<string, number> = {};
  for (const d of dispatches) byResponder[d.responderType] = (byResponder[d.responderType] ?? 0) + 1;

  const inMonth = (t: number | null) => t !== null && t >= period.from && t < period.to;
  const due = input.visits.filter((v) => inMonth(v.dueAt));
  const bySource: Record<string, number> = {};
  for (const v of due) bySource[v.source] = (bySource[v.source] ?? 0) + 1;
  const checkedIn = input.visits.filter((v) => inMonth(v.checkedInAt));

  return {
    bedsInService: inService.length,
    bedDaysInService: Math.round((sum(served.map((x) => x.ms)) / DAY_MS) * 1e6) / 1e6,
    bedsInServiceAtEnd: atEnd.length,
    devicesInService: sum(inService.map((b) => b.devices)),
    onlineRate: allNights.length ? round4(sum(allNights) / allNights.length) : null,
    onlineByBed,
    alarms: {
      total: alarms.length,
      byKind: [...kinds.entries()]
        .map(([kind, k]) => ({ kind, ...k }))
        .sort((a, b) => b.total - a.total || a.kind.localeCompare(b.kind)),
      byOutcome,
    },
    answer: {
      acknowledged: answerSeconds.length,
      p50Seconds: percentile(answerSeconds, 0.5),
      p90Seconds: percentile(answerSeconds, 0.9),
      within60s: within(60),
      within180s: within(180),
    },
    dispatches: {
      total: dispatches.length,
      byResponder,
      closed: dispatches.filter((d) => d.status === 'closed').length,
      overdue: dispatches.filter((d) => d.ranLate).length,
    },
    visits: {
      dueInMonth: due.length,
      done: checkedIn.filter((v) => v.state === 'visited').length,
      notHome: checkedIn.filter((v) => v.state === 'not_home').length,
      cancelled: due.filter((v) => v.state === 'cancelled').length,
      overdue: due.filter(
        (v) => v.state !== 'cancelled' && v.dueAt < now && (v.checkedInAt === null || v.checkedInAt > v.dueAt),
      ).length,
      bySource,
    },
  };
}

/** Linear interpolation between closest ranks, as PostgreSQL's percentile_cont. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  const i = (sorted.length - 1) * p;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return round4(sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo));
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
