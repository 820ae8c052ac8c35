import { Command } from 'commander';
import { intOption } from '../cli/common-options';
import { startCluster } from '../cluster/cluster-topology';

/**
 * `devices-sim cluster` (npm run cluster): the clustered topology on loopback for demos and
 * trials, on the Debian binaries (postgresql, nats-server, haproxy), until Ctrl-C.
 */
export function clusterCommand(): Command {
  return new Command('cluster')
    .description(
      'start PostgreSQL, NATS, N clustered hubs and HAProxy in front on loopback, in a temporary folder; Ctrl-C stops everything',
    )
    .option('--nodes <n>', 'hub nodes', '3')
    .option('--http-port <n>', "HAProxy's HTTP port for consoles and REST (0: a free one)", '0')
    .option('--mqtt-port <n>', "HAProxy's MQTT port for devices (0: a free one)", '0')
    .option('--max-connections <n>', 'HAProxy maxconn (it needs about 2 file descriptors each)', '4000')
    .option('--lease-ttl-ms <n>', 'partition lease TTL (a frozen node is replaced after it)', '5000')
    .action(async (raw: Record<string, unknown>) => {
      const nodes = intOption('--nodes', raw.nodes, 1, 16);
      const httpPort = intOption('--http-port', raw.httpPort, 0, 65535);
      const mqttPort = intOption('--mqtt-port', raw.mqttPort, 0, 65535);
      const leaseTtlMs = intOption('--lease-ttl-ms', raw.leaseTtlMs, 2000, 600_000);
      const maxConnections = intOption('--max-connections', raw.maxConnections, 10, 1_000_000);
      const say = (line: string) => process.stdout.write(`${line}\n`);
      const cluster = await startCluster({ nodes, httpPort, mqttPort, leaseTtlMs, maxConnections, say });
      say('');
      say(`console:  ${cluster.consoleUrl}/`);
      say(`mqtt:     ${cluster.mqttUrl}`);
      say(`admin:    ${cluster.admin.username} / ${cluster.admin.password}`);
      for (const n of cluster.nodes) say(`${n.name}:    ${n.httpUrl} (log ${n.logFile})`);
      say(`postgres: ${cluster.databaseUrl}`);
      say(`nats:     ${cluster.natsUrl}`);
      say(`cluster ready (${nodes} nodes); Ctrl-C stops everything and removes ${cluster.dir}`);
      // The handlers stay while stopping: under npm a Ctrl-C arrives twice (from the terminal and
      // forwarded by npm), and a default SIGINT would end this process with the engines running.
      let stopping = false;
      await new Promise<void>((resolve) => {
        const onSignal = () => {
          if (stopping) return say('still stopping…');
          stopping = true;
          resolve();
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      });
      say('stopping: hubs (drain), HAProxy, NATS, PostgreSQL');
      await cluster.stop();
      say('cluster stopped');
    });
}
