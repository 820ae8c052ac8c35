/** A load of the arrival-rate bench: steady, or bursts of sending and silence. */
export interface Case {
  label: string;
  beds: number;
  /** Hubs carrying the load: 1, or a cluster of this many behind HAProxy. */
  nodes: number;
  ratePerBed: number;
  /** Seconds of sending and of silence per cycle; null: steady. */
  burst: { onS: number; offS: number } | null;
}

const FORM = '<beds>[@<nodes>][x<msg/s per bed>][:<on s>/<off s>]';

/**
 * `<beds>[@<nodes>][x<msg/s per bed>][:<on s>/<off s>]`, e.g. `667x3:1/2`: 667 beds at 3 msg/s,
 * 1 s on, 2 s off, on one hub; `2000@3`: 2,000 beds steady on a cluster of three hubs.
 */
export function parseCase(spec: string): Case {
  const m = /^(\d+)(?:@(\d+))?(?:x(\d+(?:\.\d+)?))?(?::(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?))?$/.exec(spec.trim());
  if (!m || (m[2] !== undefined && Number(m[2]) < 1)) throw new Error(`case "${spec}": expected ${FORM}`);
  return {
    label: spec.trim(),
    beds: Number(m[1]),
    nodes: m[2] ? Number(m[2]) : 1,
    ratePerBed: m[3] ? Number(m[3]) : 1,
    burst: m[4] ? { onS: Number(m[4]), offS: Number(m[5]) } : null,
  };
}
