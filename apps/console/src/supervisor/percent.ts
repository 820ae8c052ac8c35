/** 0..1 as "97.5 %"; null as a dash. */
export function percent(v: number | null | undefined): string {
  return v == null || !Number.isFinite(v) ? '—' : `${(Math.round(v * 1000) / 10).toFixed(1)} %`;
}
