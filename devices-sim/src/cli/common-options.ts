import { Command, Option } from 'commander';
import { UsageError } from './exit-codes';

export interface CommonOptions {
  hub: string;
  mqtt: string;
  admin?: { username: string; password: string };
  seed: number;
  json: boolean;
}

/** --hub, --mqtt, --admin, --seed, --json on every command. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .option('--hub <url>', 'hub REST base URL', 'http://127.0.0.1:3000')
    .option('--mqtt <url>', 'hub MQTT URL (default: the --hub host on port 1883)')
    .addOption(new Option('--admin <user:password>', 'admin credentials for the REST API').env('BEDSIDE_ADMIN'))
    .option('--seed <n>', 'seed for the signal models', '1')
    .option('--json', 'machine-readable output: one JSON object per line', false);
}

export function parseCommon(raw: Record<string, unknown>): CommonOptions {
  const hub = String(raw.hub).replace(/\/+$/, '');
  let hubUrl: URL;
  try {
    hubUrl = new URL(hub);
  } catch {
    throw new UsageError(`--hub ${hub} is not a URL`);
  }
  const mqtt = typeof raw.mqtt === 'string' && raw.mqtt ? raw.mqtt : `mqtt://${hubUrl.hostname}:1883`;
  if (!/^mqtts?:\/\/|^wss?:\/\//.test(mqtt))
    throw new UsageError(`--mqtt ${mqtt} must start with mqtt://, mqtts://, ws:// or wss://`);
  let admin: CommonOptions['admin'];
  if (typeof raw.admin === 'string' && raw.admin) {
    const s = raw.admin;
    const i = s.indexOf(':');
    if (i <= 0) throw new UsageError('--admin must be user:password');
    admin = { username: s.slice(0, i), password: s.slice(i + 1) };
  }
  return { hub, mqtt, admin, seed: intOption('--seed', raw.seed, 0), json: raw.json === true };
}

export function intOption(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  return n;
}

export function numberOption(name: string, value: unknown, min: number, max = Number.MAX_VALUE): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`${name} must be a number from ${min} to ${max}, got ${String(value)}`);
  return n;
}

export function requireAdmin(opts: CommonOptions, why: string): { username: string; password: string } {
  if (!opts.admin) throw new UsageError(`${why} needs --admin user:password (or BEDSIDE_ADMIN)`);
  return opts.admin;
}
