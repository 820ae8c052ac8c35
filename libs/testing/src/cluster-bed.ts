import pg from 'pg';
import { renderHaproxyConfig } from '@bedside/cluster';
import { freePort } from './free-port';
import { startHaproxy, type HaproxyServer } from './haproxy-server';
import { startHub, type HubProcess } from './hub-process';
import { startNats, type NatsServer } from './nats-server';
import { partitionSplit } from './partition-split';
import { startPostgres, type PostgresServer } from './postgres-server';
import { waitFor } from './wait-for';

export interface ClusteredHubsOptions {
  /** One hub per name (its CLUSTER_NODE_ID), started one after the other. */
  nodes: readonly string[];
  /** Name of the cluster's database on the test's PostgreSQL. */
  database: string;
  leaseTtlMs?: number;
  /** Added to every hub's environment. */
  hubEnv?: Record<string, string>;
  /** Added to one hub's environment, by node name. */
  nodeEnv?: Record<string, Record<string, string>>;
  /** How many nodes must hold partitions before the cluster counts as started (default: all). */
  owners?: number;
  /** A bus the test started and stops itself, e.g. a NATS cluster (default: one nats-server of the cluster's own). */
  natsUrl?: string;
  /** The database URL a node is given, e.g. through a proxy the test can cut (default: the database's own). */
  databaseUrlOf?: (node: string, url: string) => string | Promise<string>;
}

/**
 * Clustered hubs on loopback without a proxy in front: PostgreSQL, nats-server and the built
 * hubs, each on random ports in temp folders. Tests that choose which node a device or a
 * console reaches talk to the hubs directly.
 */
export interface ClusteredHubs {
  readonly pg: PostgresServer;
  /** The cluster's own nats-server; null when the test brought its bus (`natsUrl`). */
  readonly nats: NatsServer | null;
  readonly hubs: HubProcess[];
  readonly nodes: readonly string[];
  /** The cluster's own database, for reading what it stored. */
  readonly db: pg.Pool;
  /** The hub started as `node`. */
  hub(node: string): HubProcess;
  sql<R extends pg.QueryResultRow>(text: string, params?: unknown[]): Promise<R[]>;
  /** Partitions per lease owner ('none' for released ones). */
  owners(): Promise<Record<string, number>>;
  /** The lease owner of the bed's partition. */
  ownerOfBed(bedId: string): Promise<string | undefined>;
  /** The node holding the device's connection, from device_sessions. */
  nodeOfDevice(deviceId: string): Promise<string | undefined>;
  /** Waits until `count` nodes hold partitions. */
  waitForOwners(count: number, timeoutMs?: number): Promise<void>;
  /** Waits until the nodes hold the partitions in shares that differ by one at most. */
  waitForEvenSplit(timeoutMs?: number): Promise<void>;
  /** An even split, and every hub done recovering the partitions it gained. */
  waitForSteadyState(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The clustered deployment as users run it: the hubs behind HAProxy. */
export interface ClusterBed extends ClusteredHubs {
  readonly proxy: HaproxyServer;
  /** Through HAProxy. */
  readonly mqttUrl: string;
  readonly httpUrl: string;
}

const PARTITIONS = 64;

export async function startClusteredHubs(
  o: ClusteredHubsOptions & { proxyProtocol?: boolean },
): Promise<ClusteredHubs> {
  const pgServer = await startPostgres();
  let nats: NatsServer | null = null;
  let natsUrl = o.natsUrl;
  if (!natsUrl) {
    nats = await startNats();
    natsUrl = nats.url;
  }
  const url = await pgServer.createDatabase(o.database);
  const hubs: HubProcess[] = [];
  // One after the other: the first applies the migrations and creates the administrator.
  for (const node of o.nodes)
    hubs.push(
      await startHub({
        DATABASE_URL: (await o.databaseUrlOf?.(node, url)) ?? url,
        NATS_URL: natsUrl,
        CLUSTER_NODE_ID: node,
        CLUSTER_LEASE_TTL_MS: String(o.leaseTtlMs ?? 3000),
        ...(o.proxyProtocol ? { MQTT_PROXY_PROTOCOL: 'true' } : {}),
        INGEST_COMMIT_DELAY_MS: '0',
        ...o.hubEnv,
        ...o.nodeEnv?.[node],
      }),
    );
  // A pool, not one client: tests stop and freeze PostgreSQL on purpose, and a pool replaces the
  // connection that dropped; a query during the outage fails, not the whole run.
  const db = new pg.Pool({ connectionString: url, max: 2 });
  db.on('error', () => undefined);
  await db.query('select 1');
  const sql = async <R extends pg.QueryResultRow>(text: string, params: unknown[] = []) =>
    (await db.query<R>(text, params)).rows;
  const owners = () => partitionSplit(db);
  const waitForOwners = (count: number, timeoutMs = 20_000) =>
    waitFor(async () => Object.keys(await owners()).filter((n) => n !== 'none').length === count, {
      what: `${count} nodes holding partitions`,
      timeoutMs,
    }).then(() => undefined);
  const evenSplit = async () => {
    const split = await owners();
    const counts = o.nodes.map((n) => split[n] ?? 0);
    return Math.max(...counts) - Math.min(...counts) <= 1 && counts.reduce((a, b) => a + b, 0) === PARTITIONS;
  };
  const recovered = async (hub: HubProcess) => {
    const ready = (await (await fetch(`${hub.httpUrl}/health/ready`)).json()) as {
      checks: { rules: { partitionsRecovering: number } };
    };
    return ready.checks.rules.partitionsRecovering === 0;
  };
  const waitForEvenSplit = (timeoutMs = 20_000) =>
    waitFor(evenSplit, { what: 'an even split of the partitions', timeoutMs }).then(() => undefined);
  const waitForSteadyState = (timeoutMs = 20_000) =>
    waitFor(async () => (await evenSplit()) && (await Promise.all(hubs.map(recovered))).every(Boolean), {
      what: 'balanced, recovered partitions',
      timeoutMs,
    }).then(() => undefined);
  await waitForOwners(o.owners ?? o.nodes.length);
  return {
    pg: pgServer,
    nats,
    hubs,
    nodes: o.nodes,
    db,
    hub: (node) => {
      const i = o.nodes.indexOf(node);
      if (i < 0) throw new Error(`no hub named ${node}`);
      return hubs[i];
    },
    sql,
    owners,
    ownerOfBed: async (bedId) =>
      (
        await sql<{ owner_node: string }>(
          'select l.owner_node from beds b join partition_leases l on l.partition = b.partition where b.id = $1',
          [bedId],
        )
      )[0]?.owner_node,
    nodeOfDevice: async (deviceId) =>
      (await sql<{ node_id: string }>('select node_id from device_sessions where device_id = $1', [deviceId]))[0]
        ?.node_id,
    waitForOwners,
    waitForEvenSplit,
    waitForSteadyState,
    async stop() {
      await db.end().catch(() => undefined);
      for (const h of hubs) {
        // A frozen hub would never answer SIGTERM.
        h.proc.kill('SIGCONT');
        await h.dispose();
      }
      await nats?.stop();
      await pgServer.stop();
    },
  };
}

export async function startClusterBed(o: ClusteredHubsOptions): Promise<ClusterBed> {
  const cluster = await startClusteredHubs({ ...o, proxyProtocol: true });
  const mqttPort = await freePort();
  const httpPort = await freePort();
  const proxy = await startHaproxy(
    renderHaproxyConfig({
      bindHost: '127.0.0.1',
      mqttPort,
      httpPort,
      checkIntervalMs: 500,
      maxConnections: 2000,
      nodes: cluster.hubs.map((h, i) => ({
        name: o.nodes[i],
        host: '127.0.0.1',
        mqttPort: h.mqttPort,
        httpPort: h.httpPort,
      })),
    }),
    [mqttPort, httpPort],
  );
  return {
    ...cluster,
    proxy,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    async stop() {
      await proxy.stop();
      await cluster.stop();
    },
  };
}
