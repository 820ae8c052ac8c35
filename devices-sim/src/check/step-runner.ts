import { HubUnreachableError, isUnreachable } from '../cli/exit-codes';
import { fmtMs, type Output } from '../cli/output';
import { ConnackError } from '../mqtt/device-client';

export type StepStatus = 'pass' | 'fail' | 'skip';

export interface StepResult {
  step: string;
  label: string;
  status: StepStatus;
  durationMs: number;
  detail: string;
  unreachable?: boolean;
}

/** Thrown inside a step to report it skipped with a reason. */
export class SkipStep extends Error {}

export interface StepDef {
  id: string;
  label: string;
  /** Returns a detail line on success. */
  run: () => Promise<string>;
}

/**
 * Runs steps in order, printing a pass/fail/skip line with its duration as each ends. After a
 * failure the remaining steps are reported as skipped ("not run").
 */
export async function runSteps(
  steps: StepDef[],
  out: Output,
  record: Record<string, unknown> = {},
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  let failed: StepResult | null = null;
  for (const [i, s] of steps.entries()) {
    const prefix = `[${i + 1}/${steps.length}]`;
    if (failed) {
      const r: StepResult = {
        step: s.id,
        label: s.label,
        status: 'skip',
        durationMs: 0,
        detail: `not run: step "${failed.label}" failed`,
      };
      results.push(r);
      print(out, prefix, r, record);
      continue;
    }
    if (out.tty) process.stdout.write(out.paint('dim', `${prefix} ${s.label} ...`) + '\r');
    const t0 = performance.now();
    let r: StepResult;
    try {
      const detail = await s.run();
      r = { step: s.id, label: s.label, status: 'pass', durationMs: performance.now() - t0, detail };
    } catch (err) {
      const durationMs = performance.now() - t0;
      if (err instanceof SkipStep)
        r = { step: s.id, label: s.label, status: 'skip', durationMs, detail: `skipped: ${err.message}` };
      else {
        const unreachable =
          !(err instanceof ConnackError) && (err instanceof HubUnreachableError || isUnreachable(err));
        r = {
          step: s.id,
          label: s.label,
          status: 'fail',
          durationMs,
          detail:
            (unreachable && !(err instanceof HubUnreachableError) ? 'hub unreachable: ' : '') + (err as Error).message,
          ...(unreachable && { unreachable: true }),
        };
        failed = r;
      }
    }
    results.push(r);
    print(out, prefix, r, record);
  }
  return results;
}

function print(out: Output, prefix: string, r: StepResult, record: Record<string, unknown>): void {
  const mark =
    r.status === 'pass'
      ? out.paint('ok', 'PASS')
      : r.status === 'fail'
        ? out.paint('fail', 'FAIL')
        : out.paint('skip', 'SKIP');
  out.line(`${prefix} ${mark} ${r.label} (${fmtMs(r.durationMs)})${r.detail ? ' - ' + r.detail : ''}`.padEnd(60));
  out.record({ type: 'step', ...record, ...r, durationMs: Math.round(r.durationMs) });
}
