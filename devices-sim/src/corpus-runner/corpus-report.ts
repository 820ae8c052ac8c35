import type { Output } from '../cli/output';
import type { CorpusFigures } from '../corpus/alarm-classifier';
import type { CorpusRunResult } from './corpus-runner';

const pct = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(0)} %`);
const sec = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The figures as a people-readable table. */
export function figureLines(f: CorpusFigures, out: Output): string[] {
  const lines: string[] = [];
  const faTone = f.targets.falseAlarmsMet ? 'ok' : 'fail';
  lines.push(
    out.bold(
      `False alarms: ${f.falseAlarms.total} over ${f.bedNights} bed-nights = ${out.paint(faTone, f.falseAlarms.perBedNight.toFixed(3))} per bed-night (target <= ${f.targets.maxFalseAlarmsPerBedNight})`,
    ),
  );
  for (const [kind, k] of Object.entries(f.falseAlarms.byKind).sort((a, b) => b[1].count - a[1].count))
    lines.push(`  ${kind.padEnd(18)} ${String(k.count).padStart(4)}  ${k.perBedNight.toFixed(3)} per bed-night`);
  const causes = Object.entries(f.falseAlarms.byCause).sort((a, b) => b[1] - a[1]);
  if (causes.length) {
    lines.push('  by what the night was doing:');
    for (const [cause, n] of causes) lines.push(`    ${String(n).padStart(4)}  ${cause}`);
  }
  const seTone = f.targets.sensitivityMet ? 'ok' : 'fail';
  lines.push(
    out.bold(
      `Sensitivity within the clinical window: ${out.paint(seTone, pct(f.minSensitivity))} (target ${pct(f.targets.minSensitivity)})`,
    ),
  );
  lines.push(
    `  ${'event'.padEnd(14)} ${'events'.padStart(6)} ${'in window'.padStart(9)} ${'late'.padStart(5)} ${'missed'.padStart(6)}  delay from onset min / median / max`,
  );
  for (const [type, s] of Object.entries(f.sensitivity)) {
    const delay = s.delayMs ? `${sec(s.delayMs.min)} / ${sec(s.delayMs.median)} / ${sec(s.delayMs.max)}` : '-';
    lines.push(
      `  ${type.padEnd(14)} ${String(s.events).padStart(6)} ${String(s.inWindow).padStart(9)} ${String(s.late).padStart(5)} ${out.paint(s.missed + s.late ? 'fail' : 'ok', String(s.missed).padStart(6))}  ${delay}`,
    );
  }
  return lines;
}

export function runLines(r: CorpusRunResult, out: Output): string[] {
  const s = r.stream;
  return [
    `${r.figures.beds} beds x ${r.options.hours} h at x${r.clock.speed} (measured over the night x${r.clock.measuredSpeed}, clock offset +-${r.clock.uncertaintyMs} ms, drift ${r.clock.driftMs} ms, hub time) in ${(r.realMs / 1000).toFixed(0)} s real`,
    `sent ${s.messages} telemetry messages, ${s.events} events, ${s.drops} link drops; lateness p99 ${sec(s.latenessP99Ms)}, PUBACK p99 ${sec(s.pubackP99Ms)} (hub time)`,
    ...(r.distorted ? [out.paint('fail', `run distorted: ${r.distorted}`)] : []),
  ];
}
