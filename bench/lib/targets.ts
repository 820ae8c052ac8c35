import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { startInflux, type InfluxServer } from '../../libs/testing/src/influx-server';
import { startPostgres, type PostgresServer } from '../../libs/testing/src/postgres-server';
import { HubRestClient } from '../../devices-sim/src/hub/hub-rest.client';
import type { BedCredentials } from '../../devices-sim/src/hub/credentials';
import { fakeBeds, provisionLean, type LeanFleetRoot } from '../../devices-sim/src/load/lean-provisioner';
import { processTree } from './proc';
import { scrape, spawnBareAedes, spawnHub, spawnMosquitto, type HubServer, type Server } from './servers';
import { log } from './log';
import { type TargetName } from './results';

/** Children of this process with the given command name, with their descendants. */
export function childTrees(comm: string[]): number[] {
  const out: number[] = [];
  for (const pid of processTree(process.pid)) {
    try {
      const c = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (comm.includes(c)) out.push(pid);
    } catch {
      /* gone */
    }
  }
  return out;
}

/** V8's garbage collection time of a hub, every kind summed (prom-client's default metric). */
export const GC_SECONDS = 'bedside_nodejs_gc_duration_seconds_sum';

export interface LiveTarget {
  name: TargetName;
  server: Server;
  hub: HubServer | null;
  pg?: PostgresServer;
  influx?: InfluxServer;
  backendPids: () => number[];
  /** Several server processes (a cluster's hubs): CPU per message sums them; default [server.pid]. */
  serverPids?: () => number[];
  /** Further processes whose CPU per message is reported under their own name (nats-server, haproxy). */
  sidePids?: () => Record<string, number[]>;
  /** messages the server delivered: hub = telemetry stored, relay = received by the subscriber */
  delivered: () => Promise<number>;
  /** Seconds the hub process(es) spent in garbage collection so far (bedside_nodejs_gc_duration_seconds). */
  gcSeconds?: () => Promise<number>;
  credsFor: (beds: number) => Promise<string>;
  provisioning: { beds: number; ms: number }[];
  sosOffset: number;
  stop: () => Promise<void>;
}

async function relaySubscriber(url: string): Promise<{ count: () => number; end: () => Promise<void> }> {
  let n = 0;
  const c = await mqtt.connectAsync(url, {
    clientId: `bench-subscriber-${process.pid}`,
    clean: true,
    reconnectPeriod: 0,
    protocolVersion: 4,
  });
  c.on('message', () => n++);
  await c.subscribeAsync('bedside/v1/devices/+/telemetry', { qos: 0 });
  return {
    count: () => n,
    end: () =>
      c.endAsync().then(
        () => undefined,
        () => undefined,
      ),
  };
}

export async function startTarget(name: TargetName, work: string): Promise<LiveTarget> {
  const credsDir = mkdtempSync(join(work, `${name}-`));
  if (name === 'aedes' || name === 'mosquitto') {
    const server = name === 'aedes' ? await spawnBareAedes() : await spawnMosquitto();
    const sub = await relaySubscriber(server.mqttUrl);
    return {
      name,
      server,
      hub: null,
      backendPids: () => [],
      provisioning: [],
      sosOffset: 0,
      delivered: () => Promise.resolve(sub.count()),
      credsFor: (beds) => {
        const file = join(credsDir, `beds-${beds}.json`);
        writeFileSync(
          file,
          JSON.stringify({ version: 1, createdAt: new Date().toISOString(), beds: fakeBeds(beds, name) }),
        );
        return Promise.resolve(file);
      },
      stop: async () => {
        await sub.end();
        await server.stop();
      },
    };
  }
  let pg: PostgresServer | undefined;
  let influx: InfluxServer | undefined;
  const env: Record<string, string> = {};
  if (name === 'hub-prod') {
    pg = await startPostgres();
    env.DATABASE_URL = await pg.createDatabase('bedside');
    influx = await startInflux({ database: 'bedside' });
    env.INFLUX_URL = influx.url;
    env.INFLUX_DATABASE = 'bedside';
  }
  const hub = await spawnHub({ env });
  const api = new HubRestClient(hub.httpUrl, hub.admin, 60_000);
  let root: LeanFleetRoot | undefined;
  const beds: BedCredentials[] = [];
  const t: LiveTarget = {
    name,
    server: hub,
    hub,
    pg,
    influx,
    provisioning: [],
    sosOffset: 0,
    backendPids: () => (name === 'hub-prod' ? childTrees(['postgres', 'influxd']) : []),
    delivered: async () => (await scrape(hub.httpUrl))('bedside_mqtt_messages_stored_total', { channel: 'telemetry' }),
    gcSeconds: async () => (await scrape(hub.httpUrl))(GC_SECONDS),
    credsFor: async (n) => {
      if (beds.length < n) {
        const t0 = Date.now();
        const more = await provisionLean(api, n - beds.length, {
          prefix: name,
          firstIndex: beds.length,
          root,
          concurrency: 16,
          kindsFor: (i) => (i < 2000 ? ['mattress', 'button'] : ['mattress']),
        });
        root = more.root;
        beds.push(...more.beds);
        t.provisioning.push({ beds: more.beds.length, ms: Date.now() - t0 });
        log(`${name}: provisioned ${more.beds.length} beds in ${Date.now() - t0} ms`);
      }
      const file = join(credsDir, `beds-${n}.json`);
      writeFileSync(file, JSON.stringify({ version: 1, createdAt: new Date().toISOString(), beds: beds.slice(0, n) }));
      return file;
    },
    stop: async () => {
      await hub.stop();
      await influx?.stop().catch(() => undefined);
      await pg?.stop().catch(() => undefined);
      rmSync(hub.dataDir, { recursive: true, force: true });
    },
  };
  return t;
}
