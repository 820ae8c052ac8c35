import { Injectable } from '@nestjs/common';
import type { Selectable } from 'kysely';
import { Database, type DevicesTable } from '@bedside/database';
import { notFound } from '@bedside/common';
import type { DeviceKind } from '@bedside/contracts';

export interface DeviceStatusView {
  online: boolean;
  lastSeenAt: Date | null;
  battery: number | null;
  rssi: number | null;
  firmware: string | null;
  statusAt: Date | null;
}

export interface Device {
  id: string;
  organisationId: string;
  kind: DeviceKind;
  serial: string;
  model: string;
  firmware: string | null;
  bedId: string | null;
  credentialsIssuedAt: Date;
  revokedAt: Date | null;
  status: DeviceStatusView;
  createdAt: Date;
}

/** What the broker needs to authenticate and route one device. */
export interface DeviceIdentity {
  id: string;
  kind: DeviceKind;
  organisationId: string;
  bedId: string | null;
  secretSalt: string;
  secretHash: string;
  revoked: boolean;
}

export function toDevice(r: Selectable<DevicesTable>): Device {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    kind: r.kind,
    serial: r.serial,
    model: r.model,
    firmware: r.firmware,
    bedId: r.bed_id,
    credentialsIssuedAt: r.credentials_issued_at,
    revokedAt: r.revoked_at,
    createdAt: r.created_at,
    status: {
      online: r.online,
      lastSeenAt: r.last_seen_at,
      battery: r.battery,
      rssi: r.rssi,
      firmware: r.reported_firmware,
      statusAt: r.status_at,
    },
  };
}

@Injectable()
export class DeviceRepository {
  constructor(private readonly database: Database) {}

  async insert(d: {
    id: string;
    organisationId: string;
    kind: DeviceKind;
    serial: string;
    model: string;
    firmware: string | null;
    salt: string;
    hash: string;
    at: Date;
  }): Promise<Device> {
    const row = await this.database.db
      .insertInto('devices')
      .values({
        id: d.id,
        organisation_id: d.organisationId,
        kind: d.kind,
        serial: d.serial,
        model: d.model,
        firmware: d.firmware,
        secret_salt: d.salt,
        secret_hash: d.hash,
        credentials_issued_at: d.at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toDevice(row);
  }

  async serialExists(serial: string): Promise<boolean> {
    return !!(await this.database.db
      .selectFrom('devices')
      .select('id')
      .where('serial', '=', serial)
      .executeTakeFirst());
  }

  async idExists(id: string): Promise<boolean> {
    return !!(await this.database.db.selectFrom('devices').select('id').where('id', '=', id).executeTakeFirst());
  }

  async get(id: string): Promise<Device> {
    const r = await this.database.db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('device', id);
    return toDevice(r);
  }

  async findIdentity(id: string): Promise<DeviceIdentity | undefined> {
    const r = await this.database.db
      .selectFrom('devices')
      .select(['id', 'kind', 'organisation_id', 'bed_id', 'secret_salt', 'secret_hash', 'revoked_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    return (
      r && {
        id: r.id,
        kind: r.kind,
        organisationId: r.organisation_id,
        bedId: r.bed_id,
        secretSalt: r.secret_salt,
        secretHash: r.secret_hash,
        revoked: r.revoked_at !== null,
      }
    );
  }

  async list(filter: { organisationId?: string; bedId?: string } = {}): Promise<Device[]> {
    let q = this.database.db.selectFrom('devices').selectAll();
    if (filter.organisationId) q = q.where('organisation_id', '=', filter.organisationId);
    if (filter.bedId) q = q.where('bed_id', '=', filter.bedId);
    return (await q.orderBy('created_at').execute()).map(toDevice);
  }

  listByBed(bedId: string): Promise<Device[]> {
    return this.list({ bedId });
  }

  async setSecret(id: string, salt: string, hash: string, at: Date): Promise<void> {
    const r = await this.database.db
      .updateTable('devices')
      .set({ secret_salt: salt, secret_hash: hash, credentials_issued_at: at, revoked_at: null })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw notFound('device', id);
  }

  async revoke(id: string, at: Date): Promise<void> {
    const r = await this.database.db
      .updateTable('devices')
      .set({ revoked_at: at, online: false })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw notFound('device', id);
  }

  async setBed(id: string, bedId: string | null): Promise<Device> {
    const r = await this.database.db
      .updateTable('devices')
      .set({ bed_id: bedId })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!r) throw notFound('device', id);
    return toDevice(r);
  }
}
