import { rmSync } from 'node:fs';
import pgDriver from 'pg';
import { renderHaproxyConfig } from '../../libs/cluster/src/haproxy-config';
import { freePort } from '../../libs/testing/src/free-port';
import { startHaproxy, type HaproxyServer } from '../../libs/testing/src/haproxy-server';
import { startNats, type NatsServer } from '../../libs/testing/src/nats-server';
import type { PostgresServer } from '../../libs/testing/src/postgres-server';
import { waitFor } from '../../libs/testing/src/wait-for';
import { openFileLimit } from './proc';
import { scrape, spawnHub, type HubServer } from './servers';

export interface BenchClusterOptions {
  nodes: number;
  /** Default: the hub's own. */
  leaseTtlMs?: number;
  /** Beds the load will connect: HAProxy's connection limit is sized for them. */
  beds: number;
  /** The cluster's database on `pg`. */
  database: string;
  /** The hub's entry point, e.g. another revision's build (default: this checkout's). */
  main?: string;
}

/** Clustered hubs on one database with one nats-server, behind HAProxy, as the benches run them. */
export interface BenchCluster {
  readonly hubs: HubServer[];
  readonly nats: NatsServer;
  readonly proxy: HaproxyServer;
  /** Through HAProxy. */
  readonly mqttUrl: string;
  readonly httpUrl: string;
  readonly sql: <R extends pgDriver.QueryResultRow>(text: string, params?: unknown[]) => Promise<R[]>;
  /** Partitions whose lease `node` holds. */
  readonly held: (node: string) => Promise<number>;
  /** A metric summed over the nodes; a node that is down counts nothing. */
  readonly sumMetric: (name: string, labels: Record<string, string>) => Promise<number>;
  readonly stop: () => Promise<void>;
}

/**
 * N hubs (CLUSTER_NODE_ID hub-1…hub-N, PROXY protocol on MQTT) on the same PostgreSQL database
 * and nats-server, started once every node holds partitions, with HAProxy in front
 * (renderHaproxyConfig, as deployed). What started is stopped again if a later step fails.
 */
export async function startBenchCluster(pg: PostgresServer, o: BenchClusterOptions): Promise<BenchCluster> {
  const hubs: HubServer[] = [];
  let nats: NatsServer | null = null;
  let proxy: HaproxyServer | null = null;
  let db: pgDriver.Client | null = null;
  const stop = async () => {
    await db?.end().catch(() => undefined);
    await proxy?.stop().catch(() => undefined);
    for (const h of hubs) {
      await h.stop().catch(() => undefined);
      rmSync(h.dataDir, { recursive: true, force: true });
    }
    await nats?.stop().catch(() => undefined);
  };
  try {
    nats = await startNats();
    const databaseUrl = await pg.createDatabase(o.database);
    for (let i = 1; i <= o.nodes; i++)
      hubs.push(
        await spawnHub({
          main: o.main,
          env: {
            DATABASE_URL: databaseUrl,
            NATS_URL: nats.url,
            CLUSTER_NODE_ID: `hub-${i}`,
            ...(o.leaseTtlMs !== undefined && { CLUSTER_LEASE_TTL_MS: String(o.leaseTtlMs) }),
            MQTT_PROXY_PROTOCOL: 'true',
          },
        }),
      );
    const client = new pgDriver.Client(databaseUrl);
    db = client;
    await client.connect();
    const sql = async <R extends pgDriver.QueryResultRow>(text: string, params: unknown[] = []) =>
      (await client.query<R>(text, params)).rows;
    const held = async (node: string) =>
      (await sql<{ n: number }>('select count(*)::int as n from partition_leases where owner_node = $1', [node]))[0].n;
    const holders = async () =>
      (await sql<{ n: number }>('select count(distinct owner_node)::int as n from partition_leases'))[0].n;
    await waitFor(async () => (await holders()) === o.nodes, {
      what: 'every node holding partitions',
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    const mqttPort = await freePort();
    const httpPort = await freePort();
    proxy = await startHaproxy(
      renderHaproxyConfig({
        bindHost: '127.0.0.1',
        mqttPort,
        httpPort,
        // HAProxy takes two descriptors per connection (device and hub side) and will not start
        // when its maxconn needs more than the process may open.
        maxConnections: Math.min(o.beds * 3 + 1000, Math.floor((openFileLimit() - 1000) / 2)),
        nodes: hubs.map((h, i) => ({
          name: `hub-${i + 1}`,
          host: '127.0.0.1',
          mqttPort: h.mqttPort,
          httpPort: h.httpPort,
        })),
      }),
      [mqttPort, httpPort],
    );
    return {
      hubs,
      nats,
      proxy,
      mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
      httpUrl: `http://127.0.0.1:${httpPort}`,
      sql,
      held,
      sumMetric: async (name, labels) => {
        let sum = 0;
        for (const h of hubs) {
          try {
            sum += (await scrape(h.httpUrl))(name, labels);
          } catch {
            /* a node that is down counts nothing */
          }
        }
        return sum;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
