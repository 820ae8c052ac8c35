import type { UplinkChannel } from '@bedside/contracts';
import type { WatchedMessage } from './watch-source';

export interface WatchSummary {
  messages: number;
  invalid: number;
  ratePerSec: Record<UplinkChannel, number>;
  seqGaps: number;
  missingSeq: number;
  duplicateSeq: number;
  /** Device clock minus hub/observer clock would be negative when the device is slow: we report receivedAt - deviceTs. */
  skewMs: { median: number | null; last: number | null; source: 'hub-receipt' | 'observed' | null };
}

/** Rates over a sliding window, gaps in `seq`, and clock skew (receipt time minus device time). */
export class WatchStats {
  private times: { channel: UplinkChannel; at: number }[] = [];
  private seqs = new Set<number>();
  private duplicates = 0;
  private skews: number[] = [];
  private skewSource: WatchSummary['skewMs']['source'] = null;
  messages = 0;
  invalid = 0;

  constructor(private readonly windowMs = 10_000) {}

  add(m: WatchedMessage, valid: boolean): void {
    this.messages++;
    if (!valid) this.invalid++;
    this.times.push({ channel: m.channel, at: m.observedAt });
    if (m.seq !== null) {
      if (this.seqs.has(m.seq)) this.duplicates++;
      this.seqs.add(m.seq);
    }
    if (m.deviceTs !== null) {
      const ref = m.receivedAt ?? m.observedAt;
      if (m.receivedAt !== null) this.skewSource = 'hub-receipt';
      else this.skewSource ??= 'observed';
      this.skews.push(ref - m.deviceTs);
      if (this.skews.length > 500) this.skews.shift();
    }
  }

  /** Gaps: runs of missing numbers between the lowest and highest seq seen. */
  gaps(): { gaps: number; missing: number } {
    const sorted = [...this.seqs].sort((a, b) => a - b);
    let gaps = 0;
    let missing = 0;
    for (let i = 1; i < sorted.length; i++) {
      const d = sorted[i] - sorted[i - 1] - 1;
      if (d > 0) {
        gaps++;
        missing += d;
      }
    }
    return { gaps, missing };
  }

  summary(now = Date.now()): WatchSummary {
    this.times = this.times.filter((t) => t.at > now - this.windowMs);
    const rate = (c: UplinkChannel) =>
      Math.round((this.times.filter((t) => t.channel === c).length / (this.windowMs / 1000)) * 100) / 100;
    const sorted = [...this.skews].sort((a, b) => a - b);
    const { gaps, missing } = this.gaps();
    return {
      messages: this.messages,
      invalid: this.invalid,
      ratePerSec: { telemetry: rate('telemetry'), events: rate('events'), status: rate('status') },
      seqGaps: gaps,
      missingSeq: missing,
      duplicateSeq: this.duplicates,
      skewMs: {
        median: sorted.length ? sorted[Math.floor(sorted.length / 2)] : null,
        last: this.skews.at(-1) ?? null,
        source: this.skewSource,
      },
    };
  }
}
