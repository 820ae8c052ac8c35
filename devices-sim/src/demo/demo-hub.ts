import type { ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnHub } from '../../../libs/testing/src/hub-launcher';

export interface HubHandle {
  proc: ChildProcess;
  ready(signal: AbortSignal): Promise<void>;
  exited(): boolean;
  exitDescription(): string;
  logTail(lines: number): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended. */
  stop(graceMs: number): Promise<string>;
}

/**
 * The built hub (libs/testing hub-launcher) on embedded defaults (PGlite in DATA_DIR, no
 * InfluxDB), its output appended to DATA_DIR/hub.log. It gets its own process group, so a Ctrl-C
 * in the terminal reaches only the demo, which then stops the hub once with SIGTERM (a graceful
 * shutdown) after the fleet has disconnected; if the demo itself dies, the hub is stopped too.
 */
export async function startHubProcess(o: {
  dataDir: string;
  httpPort: number;
  mqttPort: number;
  adminPassword: string;
  copyLogs: boolean;
}): Promise<HubHandle> {
  const logFile = join(o.dataDir, 'hub.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  const hub = await spawnHub({
    dataDir: o.dataDir,
    ports: { http: o.httpPort, mqtt: o.mqttPort },
    adminPassword: o.adminPassword,
    env: {
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      // A demo shows the uploaded history summarised and visits planned within seconds, not minutes.
      WELLNESS_SWEEP_MS: '5000',
      VISITS_SWEEP_MS: '5000',
    },
    onOutput: (d) => {
      log.write(d);
      if (o.copyLogs) process.stderr.write(d);
    },
    keepOutputChars: 64_000,
    detached: true,
    stopOnExit: true,
    readyTimeoutMs: 60_000,
  });
  return {
    get proc() {
      return hub.proc;
    },
    exited: hub.exited,
    exitDescription: hub.exitDescription,
    logTail: (n) => hub.logs().split('\n').filter(Boolean).slice(-n).join('\n') || readTail(logFile, n),
    ready: (signal) => hub.ready(signal),
    async stop(graceMs) {
      await hub.stop(graceMs);
      await new Promise<void>((r) => log.end(() => r()));
      return hub.exitDescription();
    },
  };
}

function readTail(file: string, n: number): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}
