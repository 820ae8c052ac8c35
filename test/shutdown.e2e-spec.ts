import { startHub, type HubProcess } from '@bedside/testing';

/** SIGTERM: the hub drains and exits even while consoles hold the live alarm stream open. */
let hub: HubProcess;

beforeAll(async () => {
  hub = await startHub();
}, 60_000);

afterAll(async () => {
  await hub?.dispose();
});

it('ends open alarm streams and exits promptly on SIGTERM', async () => {
  const res = await fetch(`${hub.httpUrl}/api/alarms/stream`, { headers: { authorization: hub.authHeader } });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  await reader.read(); // the stream is live
  const exited = new Promise<string>((r) => hub.proc.once('exit', (code, signal) => r(`${code ?? signal}`)));
  const started = Date.now();
  hub.proc.kill('SIGTERM');
  // The stream ends (the reader sees done) and the process exits by itself, without SIGKILL.
  for (;;) if ((await reader.read()).done) break;
  // Nest re-raises the signal once its shutdown hooks are done, as a process killed by it would.
  expect(['0', 'SIGTERM']).toContain(await exited);
  expect(Date.now() - started).toBeLessThan(15_000);
}, 30_000);
