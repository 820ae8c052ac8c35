import type { Output } from '../cli/output';
import { DEMO_OPERATOR } from './demo-operator';

/** Where to look once the demo runs: console, API, MQTT, fleet, incidents, data. */
export function printBanner(
  out: Output,
  o: {
    httpUrl: string;
    mqttUrl: string;
    admin: { username: string; password: string };
    dataDir: string;
    keepData: boolean;
    beds: number;
    duration: number;
  },
): void {
  const b = (s: string) => out.bold(s);
  out.line('');
  out.line(b('Bedside demo is running'));
  out.line(
    `  console      ${b(o.httpUrl)}   sign in as ${b(DEMO_OPERATOR.username)} / ${b(DEMO_OPERATOR.password)} (operator)`,
  );
  out.line(`  REST API     ${o.httpUrl}/api/docs   admin (HTTP Basic): ${o.admin.username} / ${o.admin.password}`);
  out.line(`  MQTT         ${o.mqttUrl}`);
  out.line(`  fleet        ${o.beds} beds (mattress, call button, wearable each), 1 message/s per device`);
  out.line(`  incidents    SOS at ~8 s (bed demo-1), fall at ~14 s (demo-2), bradycardia at ~20 s (demo-3)`);
  out.line(`  data         ${o.dataDir}${o.keepData ? '' : ' (removed on exit)'}`);
  out.line(
    o.duration
      ? `  stops by itself after ${o.duration} s (Ctrl-C stops earlier)`
      : '  Ctrl-C stops the fleet and the hub',
  );
  out.line('');
}
