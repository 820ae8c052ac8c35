import type { HubRestClient } from './hub-rest.client';

export interface RuleChange {
  /** Dotted path in the rule set, e.g. `fall.cancelWindowMs`. */
  path: string;
  from: unknown;
  to: unknown;
}

export interface AppliedOverride {
  bedId: string;
  override: Record<string, unknown>;
  /** Version of the bed's rule override the PUT created. */
  version: number | null;
  /** Effective rule set of the bed after the PUT. */
  effective: Record<string, unknown>;
  changed: RuleChange[];
}

/**
 * PUT /api/beds/:id/rules with a partial override (it replaces any previous bed override) and
 * reports what changed in the bed's effective rule set (GET /api/beds/:id/rules/effective before
 * and after).
 */
export async function putBedRules(
  api: HubRestClient,
  bedId: string,
  override: Record<string, unknown>,
): Promise<AppliedOverride> {
  const path = `/api/beds/${encodeURIComponent(bedId)}/rules`;
  const before = await effectiveRules(api, bedId);
  const put = await api.request<{ version?: number }>('PUT', path, override);
  const after = await effectiveRules(api, bedId);
  return {
    bedId,
    override,
    version: typeof put?.version === 'number' ? put.version : null,
    effective: after,
    changed: diffLeaves(before, after),
  };
}

export async function effectiveRules(api: HubRestClient, bedId: string): Promise<Record<string, unknown>> {
  return (await api.get<{ ruleSet: Record<string, unknown> }>(`/api/beds/${encodeURIComponent(bedId)}/rules/effective`))
    .ruleSet;
}

/** Leaf-by-leaf differences between two JSON objects (arrays compared whole). */
export function diffLeaves(a: unknown, b: unknown, prefix = ''): RuleChange[] {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => diffLeaves(a[k], b[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path: prefix, from: a, to: b }];
}

export const describeChange = (c: RuleChange): string =>
  `${c.path}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`;
