import { Injectable } from '@nestjs/common';
import type { Selectable } from 'kysely';
import { Database, type RegionsTable } from '@bedside/database';
import { DomainError, conflict, newId, notFound } from '@bedside/common';

export type RegionKind = 'district' | 'street';

export interface Region {
  id: string;
  organisationId: string;
  kind: RegionKind;
  /** The district of a street; null for a district. */
  parentId: string | null;
  name: string;
  code: string | null;
  createdAt: Date;
}

export interface DistrictTree extends Region {
  streets: Region[];
}

/** Where a household sits: its street and that street's district (both null until assigned). */
export interface HouseholdRegion {
  householdId: string;
  street: Pick<Region, 'id' | 'name' | 'code'> | null;
  district: Pick<Region, 'id' | 'name' | 'code'> | null;
}

/** Names in the order a Chinese reader expects (pinyin), whatever the database's collation. */
export const byName = new Intl.Collator('zh-CN').compare;

function toRegion(r: Selectable<RegionsTable>): Region {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    kind: r.kind,
    parentId: r.parent_id,
    name: r.name,
    code: r.code,
    createdAt: r.created_at,
  };
}

/** Districts and streets of each organisation, and which street each household is in. */
@Injectable()
export class RegionRepository {
  constructor(private readonly database: Database) {}

  async create(r: {
    organisationId: string;
    kind: RegionKind;
    parentId: string | null;
    name: string;
    code: string | null;
  }) {
    if (r.kind === 'district' && r.parentId !== null)
      throw new DomainError('VALIDATION_FAILED', 'a district has no parent', { field: 'parentId' });
    if (r.kind === 'street') {
      if (r.parentId === null)
        throw new DomainError('VALIDATION_FAILED', 'a street needs its district as parentId', { field: 'parentId' });
      const parent = await this.get(r.parentId);
      if (parent.kind !== 'district' || parent.organisationId !== r.organisationId)
        throw new DomainError('VALIDATION_FAILED', "parentId must be a district of the street's organisation", {
          field: 'parentId',
        });
    }
    await this.refuseDuplicateName(r.organisationId, r.parentId, r.name);
    const row = await this.database.db
      .insertInto('regions')
      .values({
        id: newId(),
        organisation_id: r.organisationId,
        kind: r.kind,
        parent_id: r.parentId,
        name: r.name,
        code: r.code,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRegion(row);
  }

  async get(id: string): Promise<Region> {
    const r = await this.database.db.selectFrom('regions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('region', id);
    return toRegion(r);
  }

  /** The organisation's districts, each with its streets, by name (pinyin order). */
  async tree(organisationId: string | undefined): Promise<DistrictTree[]> {
    let q = this.database.db.selectFrom('regions').selectAll();
    if (organisationId) q = q.where('organisation_id', '=', organisationId);
    const rows = (await q.execute()).map(toRegion).sort((a, b) => byName(a.name, b.name) || a.id.localeCompare(b.id));
    return rows
      .filter((r) => r.kind === 'district')
      .map((d) => ({ ...d, streets: rows.filter((s) => s.parentId === d.id) }));
  }

  async update(id: string, patch: { name?: string; code?: string | null }): Promise<Region> {
    const current = await this.get(id);
    if (patch.name !== undefined && patch.name !== current.name)
      await this.refuseDuplicateName(current.organisationId, current.parentId, patch.name);
    const row = await this.database.db
      .updateTable('regions')
      .set({
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.code !== undefined && { code: patch.code }),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRegion(row);
  }

  /** Only an empty region goes: a district without streets, a street without households. */
  async remove(id: string): Promise<void> {
    const region = await this.get(id);
    const db = this.database.db;
    const streets = await db.selectFrom('regions').select('id').where('parent_id', '=', id).limit(1).execute();
    if (streets.length) throw conflict('the district still has streets', { id });
    const households = await db.selectFrom('households').select('id').where('region_id', '=', id).limit(1).execute();
    if (households.length) throw conflict('households are still in the street', { id });
    await db.deleteFrom('regions').where('id', '=', region.id).execute();
  }

  /** Puts a household in a street of its own organisation, or (null) in none. */
  async assignHousehold(householdId: string, regionId: string | null): Promise<HouseholdRegion> {
    const db = this.database.db;
    const household = await db
      .selectFrom('households')
      .select(['id', 'organisation_id'])
      .where('id', '=', householdId)
      .executeTakeFirst();
    if (!household) throw notFound('household', householdId);
    if (regionId !== null) {
      const street = await this.get(regionId);
      if (street.kind !== 'street' || street.organisationId !== household.organisation_id)
        throw new DomainError('VALIDATION_FAILED', "regionId must be a street of the household's organisation", {
          field: 'regionId',
        });
    }
    await db.updateTable('households').set({ region_id: regionId }).where('id', '=', householdId).execute();
    return this.ofHousehold(householdId);
  }

  async ofHousehold(householdId: string): Promise<HouseholdRegion> {
    const row = await this.database.db
      .selectFrom('households')
      .leftJoin('regions as street', 'street.id', 'households.region_id')
      .leftJoin('regions as district', 'district.id', 'street.parent_id')
      .select([
        'households.id as householdId',
        'street.id as streetId',
        'street.name as streetName',
        'street.code as streetCode',
        'district.id as districtId',
        'district.name as districtName',
        'district.code as districtCode',
      ])
      .where('households.id', '=', householdId)
      .executeTakeFirst();
    if (!row) throw notFound('household', householdId);
    return {
      householdId: row.householdId,
      street: row.streetId ? { id: row.streetId, name: row.streetName!, code: row.streetCode } : null,
      district: row.districtId ? { id: row.districtId, name: row.districtName!, code: row.districtCode } : null,
    };
  }

  private async refuseDuplicateName(organisationId: string, parentId: string | null, name: string): Promise<void> {
    let q = this.database.db
      .selectFrom('regions')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .where('name', '=', name);
    q = parentId === null ? q.where('parent_id', 'is', null) : q.where('parent_id', '=', parentId);
    if (await q.executeTakeFirst()) throw conflict(`a region named ${name} already exists there`, { name });
  }
}
