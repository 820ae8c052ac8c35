import pg from 'pg';
import { renderHaproxyConfig } from '@bedside/cluster';
import { freePort } from './free-port';
import { startHaproxy, type HaproxyServer } from './haproxy-server';
import { startHub, type HubProcess } from './hub-process';
import { startNats, type NatsServer } from './nats-server';
import { partitionSplit } from './partition-split';
import { startPostgres, type PostgresServer } from './postgres-server';
import { waitFor } from './wait-for';

export interface ClusterBedOptions {
  /** One hub per name (its CLUSTER_NODE_ID), started one after the other. */
  nodes: readonly string[];
  /** Name of the cluster's database on the test's PostgreSQL. */
  database: string;
  leaseTtlMs?: number;
  /** Added to every hub's environment. */
  hubEnv?: Record<string, string>;
}

/**
 * The clustered deployment on loopback, as the tests run it: PostgreSQL, nats-server, the
 * built hubs and HAProxy in front of them (MQTT by client-id hash with PROXY protocol v2, HTTP
 * round robin), each on random ports in temp folders.
 */
export interface ClusterBed {
  readonly pg: PostgresServer;
  readonly nats: NatsServer;
  readonly proxy: HaproxyServer;
  readonly hubs: HubProcess[];
  readonly nodes: readonly string[];
  /** The cluster's own database, for reading what it stored. */
  readonly db: pg.Client;
  /** Through HAProxy. */
  readonly mqttUrl: string;
  readonly httpUrl: string;
  sql<R extends pg.QueryResultRow>(text: string, params?: unknown[]): Promise<R[]>;
  /** Partitions per lease owner ('none' for released ones). */
  owners(): Promise<Record<string, number>>;
  /** The node holding the device's connection, from device_sessions. */
  nodeOfDevice(deviceId: string): Promise<string | undefined>;
  /** Waits until `count` nodes hold partitions. */
  waitForOwners(count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startClusterBed(o: ClusterBedOptions): Promise<ClusterBed> {
  const pgServer = await startPostgres();
  const nats = await startNats();
  const url = await pgServer.createDatabase(o.database);
  const hubs: HubProcess[] = [];
  // One after the other: the first applies the migrations and creates the administrator.
  for (const node of o.nodes)
    hubs.push(
      await startHub({
        DATABASE_URL: url,
        NATS_URL: nats.url,
        CLUSTER_NODE_ID: node,
        CLUSTER_LEASE_TTL_MS: String(o.leaseTtlMs ?? 3000),
        MQTT_PROXY_PROTOCOL: 'true',
        INGEST_COMMIT_DELAY_MS: '0',
        ...o.hubEnv,
      }),
    );
  const db = new pg.Client(url);
  await db.connect();
  const sql = async <R extends pg.QueryResultRow>(text: string, params: unknown[] = []) =>
    (await db.query<R>(text, params)).rows;
  const owners = () => partitionSplit(db);
  const waitForOwners = (count: number, timeoutMs = 20_000) =>
    waitFor(async () => Object.keys(await owners()).filter((n) => n !== 'none').length === count, {
      what: `${count} nodes holding partitions`,
      timeoutMs,
    }).then(() => undefined);
  await waitForOwners(o.nodes.length);
  const mqttPort = await freePort();
  const httpPort = await freePort();
  const proxy = await startHaproxy(
    renderHaproxyConfig({
      bindHost: '127.0.0.1',
      mqttPort,
      httpPort,
      checkIntervalMs: 500,
      maxConnections: 2000,
      nodes: hubs.map((h, i) => ({ name: o.nodes[i], host: '127.0.0.1', mqttPort: h.mqttPort, httpPort: h.httpPort })),
    }),
    [mqttPort, httpPort],
  );
  return {
    pg: pgServer,
    nats,
    proxy,
    hubs,
    nodes: o.nodes,
    db,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    sql,
    owners,
    nodeOfDevice: async (deviceId) =>
      (await sql<{ node_id: string }>('select node_id from device_sessions where device_id = $1', [deviceId]))[0]
        ?.node_id,
    waitForOwners,
    async stop() {
      await db.end();
      await proxy.stop();
      for (const h of hubs) {
        // A frozen hub would never answer SIGTERM.
        h.proc.kill('SIGCONT');
        await h.dispose();
      }
      await nats.stop();
      await pgServer.stop();
    },
  };
}
