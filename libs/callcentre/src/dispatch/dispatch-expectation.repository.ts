import { Injectable } from '@nestjs/common';
import { Database } from '@bedside/database';
import type { DispatchExpectation } from './domain/dispatch-due';

/** Each organisation's own expectations per responder type (types without a row use the defaults). */
@Injectable()
export class DispatchExpectationRepository {
  constructor(private readonly database: Database) {}

  async of(organisationId: string): Promise<DispatchExpectation[]> {
    const rows = await this.database.db
      .selectFrom('dispatch_expectations')
      .select(['responder_type', 'on_site_within_s', 'close_within_s'])
      .where('organisation_id', '=', organisationId)
      .execute();
    return rows.map((r) => ({
      responderType: r.responder_type,
      onSiteWithinS: r.on_site_within_s,
      closeWithinS: r.close_within_s,
    }));
  }

  /** Replaces the organisation's whole set. */
  async replace(organisationId: string, own: readonly DispatchExpectation[], by: string, at: Date): Promise<void> {
    await this.database.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('dispatch_expectations').where('organisation_id', '=', organisationId).execute();
      if (own.length)
        await trx
          .insertInto('dispatch_expectations')
          .values(
            own.map((e) => ({
              organisation_id: organisationId,
              responder_type: e.responderType,
              on_site_within_s: e.onSiteWithinS,
              close_within_s: e.closeWithinS,
              updated_by: by,
              updated_at: at,
            })),
          )
          .execute();
    });
  }
}
