import { Transform } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : (typeof value === 'string' || typeof value === 'number') && /^-?\d+$/.test(String(value))
      ? Number(value)
      : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every environment variable the hub reads, with its default. Validated once at boot; a bad
 * value stops the start with a list of every bad key (see load-config.ts).
 */
export class EnvDto {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT = 3000;

  @IsString()
  HTTP_HOST = '0.0.0.0';

  /** Largest REST request body, bytes; larger ones are refused with 413 before being read. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(16 * 1024 * 1024)
  HTTP_BODY_LIMIT_BYTES = 256 * 1024;

  /**
   * Longest a SIGTERM/SIGINT shutdown may take, ms; past it the hub exits anyway (status 1), so
   * an orchestrator's own kill timeout (Docker's default is 10 s) never has to cut it off mid-write.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  /**
   * Comma-separated origins (scheme://host[:port]) besides the hub's own host from which a
   * browser may change data, e.g. when a proxy rewrites the Host header. Empty: the hub's own only.
   */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : value,
  )
  @IsArray()
  @Matches(/^https?:\/\/[^/\s]+$/, {
    each: true,
    message: 'HTTP_ALLOWED_ORIGINS must list origins like https://console.example.org, without a path',
  })
  HTTP_ALLOWED_ORIGINS: string[] = [];

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  MQTT_PORT = 1883;

  /** MQTT over WebSocket; unset disables the listener. */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  MQTT_WS_PORT?: number;

  /** MQTT over TLS; needs TLS_CERT_FILE and TLS_KEY_FILE. */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  MQTT_TLS_PORT?: number;

  @Transform(emptyToUndefined)
  @ValidateIf((o: EnvDto) => o.MQTT_TLS_PORT !== undefined)
  @IsString()
  TLS_CERT_FILE?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((o: EnvDto) => o.MQTT_TLS_PORT !== undefined)
  @IsString()
  TLS_KEY_FILE?: string;

  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  /** PostgreSQL connection string; unset uses embedded PGlite in DATA_DIR. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true })
  DATABASE_URL?: string;

  /** A pooled PostgreSQL connection left idle this long is closed (node-postgres' own default). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  DATABASE_POOL_IDLE_MS = 10_000;

  /** InfluxDB base URL (v1-compatible API); unset stores telemetry in the SQL database. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  INFLUX_URL?: string;

  /** InfluxDB 1.x database, or the database name mapped to a 2.x/3.x bucket. */
  @IsString()
  @MinLength(1)
  INFLUX_DATABASE = 'bedside';

  @IsOptional()
  @IsString()
  INFLUX_RETENTION_POLICY?: string;

  /** Token for InfluxDB 2.x/3.x (sent as `Authorization: Token …`). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  INFLUX_TOKEN?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  INFLUX_USERNAME?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  INFLUX_PASSWORD?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  INFLUX_BATCH_SIZE = 5000;

  /** A telemetry PUBACK waits for its batch (in InfluxDB or the spool): this bounds its latency. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(1000)
  INFLUX_FLUSH_MS = 200;

  /** Upper bound of the on-disk spool used while InfluxDB is unreachable. */
  @Transform(toInt)
  @IsInt()
  @Min(1024 * 1024)
  INFLUX_SPOOL_MAX_BYTES = 1024 * 1024 * 1024;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Largest MQTT packet accepted, bytes, checked before the packet is buffered. */
  @Transform(toInt)
  @IsInt()
  @Min(256)
  @Max(256 * 1024 * 1024)
  MQTT_MAX_PACKET_BYTES = 64 * 1024;

  /**
   * Pre-CONNECT budget: the largest first packet (which must be the CONNECT) an unauthenticated
   * connection may send, bytes, over TCP, TLS and WebSocket alike.
   */
  @Transform(toInt)
  @IsInt()
  @Min(256)
  @Max(64 * 1024)
  MQTT_MAX_CONNECT_BYTES = 4096;

  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(100)
  MQTT_MAX_TOPIC_LEVELS = 16;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  MQTT_CONNECT_TIMEOUT_MS = 10_000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  MQTT_DRAIN_TIMEOUT_MS = 30_000;

  /**
   * Bytes the hub holds for one connection that does not read what it is sent; past this the
   * connection is dropped (only that one: no other device waits for it).
   */
  @Transform(toInt)
  @IsInt()
  @Min(16 * 1024)
  @Max(256 * 1024 * 1024)
  MQTT_MAX_OUTBOUND_BYTES = 1024 * 1024;

  /**
   * Per-device inbound quota (token bucket): messages a device may publish per second on
   * average, and how many it may send at once above that. A mattress streams 1 message a
   * second; a device catching up after an outage uploads batches of up to 300 samples each.
   * SOS, fall and tamper events are never held to it.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  MQTT_DEVICE_MESSAGES_PER_S = 20;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  MQTT_DEVICE_MESSAGE_BURST = 200;

  /** Per-device inbound payload bytes per second on average, and the burst above that. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  MQTT_DEVICE_BYTES_PER_S = 64 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(64 * 1024)
  @Max(1024 * 1024 * 1024)
  MQTT_DEVICE_BYTE_BURST = 2 * 1024 * 1024;

  /**
   * Longest keep alive honoured, seconds. A CONNECT with keep alive 0 (off, MQTT 3.1.1
   * §3.1.2.10) or above this is accepted and supervised as if it had asked for this.
   */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(65535)
  MQTT_KEEPALIVE_MAX_S = 3600;

  /** Failed logins allowed per client address and per device id within the window. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  MQTT_AUTH_FAILURES_MAX = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  MQTT_AUTH_FAILURE_WINDOW_MS = 60_000;

  /**
   * While the database is unreachable, a device may log in with the identity this node last
   * read for it, up to this long after it was last known current here (0: never).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 3_600_000)
  MQTT_AUTH_OUTAGE_GRACE_MS = 6 * 3_600_000;

  /**
   * When the database is back after an outage, connections holding unacknowledged messages
   * closed per second so their devices resend (each reconnect is a login against the database
   * just back): 10,000 take 40 s, a few dozen go at once.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  MQTT_OUTAGE_RELEASE_PER_S = 250;

  /** New connections accepted per client address per second. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  MQTT_CONNECTIONS_PER_SECOND_PER_IP = 200;

  /**
   * Group commit of device events: how long ingest waits to gather them into one insert. 0 (the
   * default) writes at the end of the event-loop turn that read them: everything read in that
   * turn goes together, and an SOS does not wait for the next turn's timers (under load a turn is
   * tens of milliseconds).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1000)
  INGEST_COMMIT_DELAY_MS = 0;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  INGEST_COMMIT_MAX_BATCH = 2000;

  /**
   * A connected device's stored last-seen instant is rewritten only once it is this much newer
   * (a disconnect, a status message and shutdown store it exactly): rewriting every row every
   * flush cost PostgreSQL more than the alarms at 10,000 beds. In a cluster whose bus is down,
   * a device silence limit shorter than this plus the 2 s flush calls a device another node
   * hears offline.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300_000)
  DEVICE_LAST_SEEN_RESOLUTION_MS = 30_000;

  /**
   * Group commit of telemetry in the SQL store (events keep INGEST_COMMIT_DELAY_MS: an SOS must
   * not wait). A telemetry PUBACK waits this much longer; in exchange a small fleet on the
   * embedded store writes a few batches a second instead of one transaction per sample.
   * InfluxDB batches by INFLUX_FLUSH_MS instead.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1000)
  TELEMETRY_COMMIT_DELAY_MS = 50;

  /** An unacknowledged alarm escalates after this, and again every ALARM_ESCALATE_REPEAT_MS. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  ALARM_ESCALATE_AFTER_MS = 60_000;

  /** Default: ALARM_ESCALATE_AFTER_MS. */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(100)
  ALARM_ESCALATE_REPEAT_MS?: number;

  /** At start, beds without saved rule state replay device events stored this long before. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  ALARM_ADOPT_REPLAY_MS = 3_600_000;

  /** SSE heartbeat comment period. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  ALARM_SSE_HEARTBEAT_MS = 15_000;

  /** An alarm no console has confirmed showing within this time is escalated. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  DISPLAY_CONFIRM_TIMEOUT_MS = 10_000;

  /** How often open work orders are checked against their due time; a late one is flagged within this. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DISPATCH_OVERDUE_SWEEP_MS = 15_000;

  /** How often the wellness job looks for ended nights and nights with late telemetry to summarise. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  WELLNESS_SWEEP_MS = 300_000;

  /** A night is summarised this long after its window ends, for samples devices still hold. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(12 * 3_600_000)
  WELLNESS_GRACE_MS = 1_800_000;

  /** Ended nights without a summary the job fills in, counting back from the last (after downtime). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  WELLNESS_CATCH_UP_NIGHTS = 7;

  /** How often the visit planner runs: plans visits from deviations and policies, flags overdue ones. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  VISITS_SWEEP_MS = 300_000;

  /** A visit planned from a night's deviations is due this long after it is planned. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(14 * 24)
  VISIT_DEVIATION_DUE_HOURS = 24;

  /** How long a call-centre login lasts (a 24 h shift plus handover by default). */
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(7 * 24 * 60)
  SESSION_TTL_MINUTES = 26 * 60;

  /**
   * While the database is unreachable, a console session the database confirmed within this many
   * ms (and not expired) is still served from the hub's memory; 0 serves none. It bounds how
   * stale an answer served without the database may be, and so how long into an outage
   * sessions are served.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(24 * 60 * 60_000)
  AUTH_OUTAGE_GRACE_MS = 15 * 60_000;

  /**
   * How often the hub reads every live console session from the database into its memory, so
   * it can answer for sessions it was not asked about (clustered: those used on other nodes)
   * and learns of sign-outs and revocations made elsewhere within one period even if their
   * NATS message was lost.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(60 * 60_000)
  AUTH_SESSION_REFRESH_MS = 60_000;

  /** Failed console logins per address and per username within the window before refusing. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_FAILURES_MAX = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  LOGIN_FAILURE_WINDOW_MS = 15 * 60_000;

  /**
   * Accept the PROXY protocol v2 header (sent by HAProxy's `send-proxy-v2`) on the MQTT TCP
   * listener, so the device's own address is logged and throttled rather than the proxy's. Only
   * for a listener reachable solely through the proxy: the header is trusted as sent.
   */
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' || value === '' ? false : value,
  )
  @IsBoolean()
  MQTT_PROXY_PROTOCOL = false;

  /**
   * This node's name in a cluster; set, the hub runs clustered (partition leases in PostgreSQL,
   * so DATABASE_URL is required). Unique per live node: a second process with the same name is
   * refused at start.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, {
    message: 'CLUSTER_NODE_ID must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit',
  })
  CLUSTER_NODE_ID?: string;

  /** Partitions beds are spread over; fixed once a cluster has run (changing it means re-partitioning). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(4096)
  CLUSTER_PARTITIONS = 64;

  /**
   * A partition lease lasts this long without renewal (renewed every second): how long a frozen
   * node keeps its partitions. A crashed node's are taken at once (its session lock is gone).
   */
  @Transform(toInt)
  @IsInt()
  @Min(2000)
  @Max(120_000)
  CLUSTER_LEASE_TTL_MS = 5000;

  /**
   * A clustered node whose clock is further than this from PostgreSQL's hands its partitions
   * over and reports not ready until it is back within half of it. Nodes stamp the device events
   * they store and owners read each other's stamps with a 5 s margin, so the bound stays below it.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(4000)
  CLUSTER_MAX_CLOCK_SKEW_MS = 2000;

  /**
   * NATS server(s) for the cluster's bus between nodes (core NATS, no JetStream): one URL, or the
   * members of a NATS cluster comma-separated, so losing one server does not cut the nodes off.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^nats:\/\/[^\s,/]+(,nats:\/\/[^\s,/]+)*$/, {
    message: 'NATS_URL must be nats://host:port, or several of them separated by commas',
  })
  NATS_URL?: string;

  /**
   * First subject token(s) of the cluster bus: clusters that share one NATS server need
   * different prefixes (every node of one cluster the same).
   */
  @Matches(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, {
    message: 'NATS_SUBJECT_PREFIX must be dot-separated tokens of letters, digits, "_" or "-"',
  })
  @MaxLength(64)
  NATS_SUBJECT_PREFIX = 'bedside';

  /** Bootstrap administrator for the REST API (HTTP Basic) until full user management lands. */
  @IsString()
  @MinLength(1)
  ADMIN_USERNAME = 'admin';

  /** Unset: a random password is generated at first start and written to DATA_DIR/admin-password. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(8)
  ADMIN_PASSWORD?: string;
}
