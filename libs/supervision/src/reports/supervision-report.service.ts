import { Injectable } from '@nestjs/common';
import { Clock, DomainError } from '@bedside/common';
import { isValidTimeZone } from '@bedside/rules';
import { byName, RegionRepository, type Region } from '../regions/region.repository';
import { isReportMonth, reportPeriod } from './domain/report-period';
import { computeSupervisionReport, type ReportInput, type SupervisionFigures } from './domain/supervision-report';
import { ReportSourceRepository } from './report-source.repository';

export interface DistrictFigures {
  /** null: households not yet placed in a street. */
  districtId: string | null;
  name: string | null;
  bedsInService: number;
  bedDaysInService: number;
  onlineRate: number | null;
  alarms: number;
  dispatches: number;
  visitsDone: number;
  visitsOverdue: number;
}

export interface SupervisionReport extends SupervisionFigures {
  organisationId: string;
  region: Pick<Region, 'id' | 'kind' | 'name' | 'code'> | null;
  month: string;
  timeZone: string;
  from: string;
  to: string;
  generatedAt: string;
  /** The same figures per district of the scope, for the regional roll-up. */
  districts: DistrictFigures[];
}

/** Monthly supervision report of an organisation, or of one of its districts or streets. */
@Injectable()
export class SupervisionReportService {
  constructor(
    private readonly source: ReportSourceRepository,
    private readonly regions: RegionRepository,
    private readonly clock: Clock,
  ) {}

  async monthly(
    organisationId: string,
    month: string,
    timeZone: string,
    regionId: string | undefined,
  ): Promise<SupervisionReport> {
    if (!isReportMonth(month)) throw invalid('month', 'month must be YYYY-MM');
    if (!isValidTimeZone(timeZone)) throw invalid('timeZone', 'timeZone must be an IANA time zone');
    const region = regionId ? await this.regions.get(regionId) : null;
    if (region && region.organisationId !== organisationId)
      throw invalid('regionId', 'regionId must be a region of the organisation');
    const period = reportPeriod(month, timeZone);
    const now = this.clock.now();
    const [households, beds, nights, alarms, dispatches, visits] = await Promise.all([
      this.source.households(organisationId),
      this.source.beds(organisationId, period, now),
      this.source.nights(organisationId, period),
      this.source.alarms(organisationId, period),
      this.source.dispatches(organisationId, period),
      this.source.visits(organisationId, period),
    ]);
    const all: ReportInput = { period, now, beds, nights, alarms, dispatches, visits };
    const inRegion = (h: { districtId: string | null; streetId: string | null }) =>
      !region || (region.kind === 'district' ? h.districtId === region.id : h.streetId === region.id);
    const scope = restrict(all, new Set(households.filter(inRegion).map((h) => h.householdId)));

    const districtNames = new Map<string | null, string | null>();
    for (const h of households.filter(inRegion)) districtNames.set(h.districtId, h.districtName);
    const districts = [...districtNames.entries()]
      // By name, the households not yet placed in a district last.
      .sort(([, a], [, b]) => (a === null ? 1 : b === null ? -1 : byName(a, b)))
      .map(([districtId, name]) => {
        const ids = households.filter((h) => inRegion(h) && h.districtId === districtId).map((h) => h.householdId);
        const f = computeSupervisionReport(restrict(all, new Set(ids)));
        return {
          districtId,
          name,
          bedsInService: f.bedsInService,
          bedDaysInService: f.bedDaysInService,
          onlineRate: f.onlineRate,
          alarms: f.alarms.total,
          dispatches: f.dispatches.total,
          visitsDone: f.visits.done,
          visitsOverdue: f.visits.overdue,
        };
      });

    return {
      organisationId,
      region: region && { id: region.id, kind: region.kind, name: region.name, code: region.code },
      month,
      timeZone,
      from: new Date(period.from).toISOString(),
      to: new Date(period.to).toISOString(),
      generatedAt: new Date(now).toISOString(),
      ...computeSupervisionReport(scope),
      districts,
    };
  }
}

/** The input narrowed to some households: their beds, and everything about those beds. */
function restrict(input: ReportInput, households: ReadonlySet<string>): ReportInput {
  const beds = input.beds.filter((b) => households.has(b.householdId));
  const bedIds = new Set(beds.map((b) => b.bedId));
  return {
    ...input,
    beds,
    nights: input.nights.filter((n) => bedIds.has(n.bedId)),
    alarms: input.alarms.filter((a) => bedIds.has(a.bedId)),
    dispatches: input.dispatches.filter((d) => bedIds.has(d.bedId)),
    visits: input.visits.filter((v) => households.has(v.householdId)),
  };
}

const invalid = (field: string, message: string) => new DomainError('VALIDATION_FAILED', message, { field });
