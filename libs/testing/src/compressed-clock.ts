import { existsSync } from 'node:fs';

/** Debian's libfaketime (package `faketime`). */
export const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

/** The library's path; throws when it is not installed. */
export function requireLibfaketime(): string {
  if (!existsSync(LIBFAKETIME))
    throw new Error(`${LIBFAKETIME} is missing: install the Debian package "faketime" (scripts/install-test-deps.sh)`);
  return LIBFAKETIME;
}

export interface CompressedClock {
  /** Where the hub's clock starts, UTC. */
  start: Date;
  /** How many times faster than real time it runs. */
  speed: number;
}

/**
 * Environment that runs a process (the hub) on a compressed clock: libfaketime preloaded starts
 * its clock at `start` and scales Date.now, the monotonic clock and every timer wait by
 * `speed`. Transport and operator-workflow timings are stretched by the same factor (as far as
 * each setting allows) so they stay about what they are in real time: a TCP connect or a group
 * commit does not get faster because the residents' night does. Nothing that decides an alarm
 * is changed.
 */
export function compressedClockEnv(c: CompressedClock): Record<string, string> {
  requireLibfaketime();
  const stamp = c.start.toISOString().slice(0, 19).replace('T', ' ');
  return {
    LD_PRELOAD: LIBFAKETIME,
    FAKETIME: `@${stamp} x${c.speed}`,
    // libfaketime reads the @ time in local time.
    TZ: 'UTC',
    MQTT_CONNECT_TIMEOUT_MS: String(Math.round(10_000 * c.speed)),
    TELEMETRY_COMMIT_DELAY_MS: String(Math.min(1000, Math.round(50 * c.speed))),
    // Escalation of unacknowledged alarms is the call centre's workflow, not the raising of alarms:
    // at x60 it would re-escalate every open alarm every real second.
    ALARM_ESCALATE_AFTER_MS: String(24 * 3600_000),
    DISPLAY_CONFIRM_TIMEOUT_MS: '600000',
  };
}

/**
 * Environment that runs a process with its wall clock `offsetMs` away from the machine's
 * (libfaketime's relative offset, in whole seconds): a node whose NTP failed.
 */
export function offsetClockEnv(offsetMs: number): Record<string, string> {
  const seconds = Math.round(offsetMs / 1000);
  return { LD_PRELOAD: requireLibfaketime(), FAKETIME: `${seconds >= 0 ? '+' : '-'}${Math.abs(seconds)}` };
}
