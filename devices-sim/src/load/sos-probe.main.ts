/**
 * Entry of the SOS probe's own process (forked by SosProbeProcess): the call buttons and the
 * alarm-stream reader live here, away from the event loop that drives thousands of simulated
 * devices. Pressing a button and watching the stream are what one device and one console do;
 * sharing a loop with the whole fleet measured the generator's own lag, not the hub's.
 */
import { connectDevices, deviceClients, type SimDevice } from '../fleet/connect-devices';
import { openAlarmStream, type AlarmStream } from '../hub/alarm-stream';
import { SosProbe } from './sos-probe';
import type { ProbeReply, ProbeRequest } from './sos-probe-process';

let stream: AlarmStream | null = null;
let buttons: SimDevice[] = [];
let probe: SosProbe | null = null;

const reply = (m: ProbeReply): void => void process.send!(m);

async function handle(m: ProbeRequest): Promise<void> {
  if (m.type === 'start') {
    const opened = await openAlarmStream(m.hubUrl, m.authHeader);
    if (!opened.available) return reply({ type: 'unavailable', reason: opened.reason });
    stream = opened.stream;
    const connected = await connectDevices(m.beds, {
      create: deviceClients({ mqttUrl: m.mqttUrl, lastWill: false }),
      perSecond: m.perSecond,
      kinds: ['button'],
    });
    buttons = connected.devices;
    probe = new SosProbe(stream, buttons, 0);
    // Warm-up: the first press of a fresh process runs cold code (MQTT.js publish, the SSE
    // reader); timed, it showed up as one press near 85 ms in every step's first window.
    if (buttons.length > 1) await probe.run(1, 0, m.timeoutMs);
    return reply({
      type: 'ready',
      buttons: buttons.length,
      failures: connected.failures.map((f) => ({ deviceId: f.deviceId, error: f.error.message })),
    });
  }
  if (m.type === 'run') return reply({ type: 'result', result: await probe!.run(m.presses, m.windowMs, m.timeoutMs) });
  stream?.close();
  await Promise.all(buttons.map((d) => d.client.end()));
  process.exit(0);
}

process.on('message', (m: ProbeRequest) => {
  handle(m).catch((err: Error) => reply({ type: 'failed', error: err.message }));
});
