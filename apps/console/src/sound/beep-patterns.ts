import type { Severity } from '../api/types';

/** One tone: frequency (Hz), start offset and length (s) within the pattern. */
export interface Tone {
  hz: number;
  at: number;
  dur: number;
}

/**
 * Per-severity patterns, distinguishable without looking: critical is a fast, high triple
 * (repeated until acknowledged); major a two-tone; minor a single mid chime; warning a soft low one.
 */
export type Pattern = Severity | 'connectionLost';

export const PATTERNS: Record<Pattern, { tones: Tone[]; gain: number; wave: OscillatorType }> = {
  critical: {
    wave: 'square',
    gain: 0.18,
    tones: [
      { hz: 988, at: 0, dur: 0.14 },
      { hz: 988, at: 0.2, dur: 0.14 },
      { hz: 988, at: 0.4, dur: 0.14 },
      { hz: 1319, at: 0.7, dur: 0.3 },
    ],
  },
  major: {
    wave: 'triangle',
    gain: 0.25,
    tones: [
      { hz: 784, at: 0, dur: 0.22 },
      { hz: 587, at: 0.3, dur: 0.3 },
    ],
  },
  minor: { wave: 'sine', gain: 0.25, tones: [{ hz: 659, at: 0, dur: 0.35 }] },
  warning: { wave: 'sine', gain: 0.15, tones: [{ hz: 440, at: 0, dur: 0.3 }] },
  // A falling sawtooth pair, unlike any alarm: the console itself is in trouble.
  connectionLost: {
    wave: 'sawtooth',
    gain: 0.2,
    tones: [
      { hz: 880, at: 0, dur: 0.3 },
      { hz: 440, at: 0.35, dur: 0.5 },
      { hz: 880, at: 1.0, dur: 0.3 },
      { hz: 440, at: 1.35, dur: 0.5 },
    ],
  },
};

/** How often the connection-lost pattern repeats until the stream is back. */
export const CONNECTION_LOST_REPEAT_MS = 8000;

/** How often the critical pattern repeats while any critical alarm is unacknowledged. */
export const CRITICAL_REPEAT_MS = 2000;
