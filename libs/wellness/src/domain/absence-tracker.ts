import type { Absence } from './night-summary';

/**
 * Out-of-bed stretches that follow a time in bed. An absence runs from the first reading out of
 * bed to the next reading in bed, across any data gap in between; one still open when the
 * readings stop ends at the last out-of-bed instant and is marked not returned.
 */
export class AbsenceTracker {
  private readonly absences: Absence[] = [];
  private seenInBed = false;
  private open: { start: number; lastEnd: number } | null = null;

  add(start: number, end: number, inBed: boolean): void {
    if (inBed) {
      if (this.open)
        this.absences.push({ start: this.open.start, end: start, durationMs: start - this.open.start, returned: true });
      this.open = null;
      this.seenInBed = true;
    } else if (this.seenInBed) {
      if (this.open) this.open.lastEnd = end;
      else this.open = { start, lastEnd: end };
    }
  }

  finish(): Absence[] {
    if (this.open)
      this.absences.push({
        start: this.open.start,
        end: this.open.lastEnd,
        durationMs: this.open.lastEnd - this.open.start,
        returned: false,
      });
    this.open = null;
    return this.absences;
  }
}
