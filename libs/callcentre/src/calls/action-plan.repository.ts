import { Injectable } from '@nestjs/common';
import { Database, type ActionPlanResponder } from '@bedside/database';

export interface ActionPlan {
  kind: string;
  steps: string[];
  responders: ActionPlanResponder[];
  updatedBy: string;
  updatedAt: string;
}

/** Each organisation's call script and responders per alarm kind. */
@Injectable()
export class ActionPlanRepository {
  constructor(private readonly database: Database) {}

  async list(organisationId: string): Promise<ActionPlan[]> {
    const rows = await this.database.db
      .selectFrom('action_plans')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .orderBy('kind')
      .execute();
    return rows.map(toPlan);
  }

  async get(organisationId: string, kind: string): Promise<ActionPlan | null> {
    const row = await this.database.db
      .selectFrom('action_plans')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return row ? toPlan(row) : null;
  }

  async put(
    organisationId: string,
    kind: string,
    plan: { steps: string[]; responders: ActionPlanResponder[] },
    actor: string,
    at: Date,
  ): Promise<ActionPlan> {
    const values = {
      steps: JSON.stringify(plan.steps),
      responders: JSON.stringify(plan.responders),
      updated_by: actor,
      updated_at: at,
    };
    const row = await this.database.db
      .insertInto('action_plans')
      .values({ organisation_id: organisationId, kind, ...values })
      .onConflict((oc) => oc.columns(['organisation_id', 'kind']).doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toPlan(row);
  }
}

function toPlan(r: {
  kind: string;
  steps: string[];
  responders: ActionPlanResponder[];
  updated_by: string;
  updated_at: Date;
}): ActionPlan {
  return {
    kind: r.kind,
    steps: r.steps,
    responders: r.responders,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at.toISOString(),
  };
}
