import { Injectable } from '@nestjs/common';
import { NO_LABEL, type BedLabel } from './provisional-alarm';

/** Beds remembered; past this the least recently stored go (a label is ~100 bytes). */
const MAX_BEDS = 50_000;

/**
 * Who each bed is for, remembered in memory whenever the hub reads it anyway (alarm context,
 * a call device connecting), so a call the database cannot store yet still says who needs help.
 */
@Injectable()
export class BedLabels {
  private readonly labels = new Map<string, BedLabel>();

  remember(bedId: string, label: BedLabel): void {
    this.labels.delete(bedId);
    this.labels.set(bedId, {
      bedLabel: label.bedLabel,
      residentName: label.residentName,
      householdName: label.householdName,
      address: label.address,
    });
    if (this.labels.size > MAX_BEDS) this.labels.delete(this.labels.keys().next().value!);
  }

  has(bedId: string): boolean {
    return this.labels.has(bedId);
  }

  of(bedId: string | null): BedLabel {
    return (bedId && this.labels.get(bedId)) || NO_LABEL;
  }
}
