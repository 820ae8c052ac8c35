import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvDto } from './env.dto';

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const KNOWN_KEYS = new Set(
  Object.keys(new EnvDto()).concat([
    'MQTT_WS_PORT',
    'MQTT_TLS_PORT',
    'TLS_CERT_FILE',
    'TLS_KEY_FILE',
    'DATABASE_URL',
    'INFLUX_URL',
    'INFLUX_RETENTION_POLICY',
    'INFLUX_TOKEN',
    'INFLUX_USERNAME',
    'INFLUX_PASSWORD',
    'ADMIN_PASSWORD',
    'ALARM_ESCALATE_REPEAT_MS',
    'CLUSTER_NODE_ID',
    'NATS_URL',
  ]),
);

/** Reads the environment once. Throws ConfigError naming every bad key at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): EnvDto {
  const relevant: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (KNOWN_KEYS.has(k) && v !== undefined) relevant[k] = v;
  const config = plainToInstance(EnvDto, relevant, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: true });
  const problems = errors.map(
    (e) =>
      `${e.property}=${JSON.stringify(relevant[e.property] ?? null)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
  );
  // A cluster's nodes share their state through PostgreSQL; an embedded PGlite is one process's.
  if (config.CLUSTER_NODE_ID !== undefined && config.DATABASE_URL === undefined)
    problems.push(`CLUSTER_NODE_ID=${JSON.stringify(config.CLUSTER_NODE_ID)}: clustered mode requires DATABASE_URL`);
  // A node passes other nodes' beds' inputs and operator changes to their owners over NATS.
  if (config.CLUSTER_NODE_ID !== undefined && config.NATS_URL === undefined)
    problems.push(`CLUSTER_NODE_ID=${JSON.stringify(config.CLUSTER_NODE_ID)}: clustered mode requires NATS_URL`);
  if (problems.length) throw new ConfigError(problems);
  return config;
}
