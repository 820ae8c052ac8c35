/** A load of the arrival-rate bench: steady, or bursts of sending and silence. */
export interface Case {
  label: string;
  beds: number;
  ratePerBed: number;
  /** Seconds of sending and of silence per cycle; null: steady. */
  burst: { onS: number; offS: number } | null;
}

/** `<beds>[x<msg/s per bed>][:<on s>/<off s>]`, e.g. `667x3:1/2`: 667 beds at 3 msg/s, 1 s on, 2 s off. */
export function parseCase(spec: string): Case {
  const m = /^(\d+)(?:x(\d+(?:\.\d+)?))?(?::(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?))?$/.exec(spec.trim());
  if (!m) throw new Error(`case "${spec}": expected <beds>[x<msg/s per bed>][:<on s>/<off s>]`);
  return {
    label: spec.trim(),
    beds: Number(m[1]),
    ratePerBed: m[2] ? Number(m[2]) : 1,
    burst: m[3] ? { onS: Number(m[3]), offS: Number(m[4]) } : null,
  };
}
