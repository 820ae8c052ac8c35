import type { MqttClient } from 'mqtt';
import { hubApi, startHub, startPostgres, type HubProcess, type PostgresServer } from '@bedside/testing';
import { ConsoleBrowser, requireBuiltConsole } from './browser-fixture';
import type { Creds } from './mqtt-helpers';
import { button } from './provisional-fixture';
import { passwordOf } from './tenant-fixture';

/**
 * The console through a PostgreSQL outage, as the browser specs set it up: PostgreSQL and a hub
 * on it, started before the spec's tests and stopped after them with the spec's Chromium and
 * devices, and beds of their own organisation, each with an operator and a call button that
 * reconnects and resends like a device. Call it at the top of a spec; needs `npm run build` first.
 */
export function consoleThroughOutage() {
  let pg: PostgresServer | undefined;
  let hub: HubProcess | undefined;
  let chrome: ConsoleBrowser | undefined;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    requireBuiltConsole();
    pg = await startPostgres();
    hub = await startHub({ DATABASE_URL: await pg.createDatabase('hub') });
  }, 90_000);

  afterAll(async () => {
    for (const c of clients) await c.endAsync(true);
    await chrome?.close();
    await hub?.dispose();
    await pg?.stop();
  }, 30_000);

  const started = <T>(it: T | undefined, what: string): T => {
    if (!it) throw new Error(`${what} is not started: use it inside a test`);
    return it;
  };

  return {
    get pg(): PostgresServer {
      return started(pg, 'PostgreSQL');
    },
    get hub(): HubProcess {
      return started(hub, 'the hub');
    },
    /** The spec's one Chromium, launched on first use. */
    async browser(): Promise<ConsoleBrowser> {
      return (chrome ??= await ConsoleBrowser.launch());
    },
    /**
     * A bed whose SOS raises an alarm at once, an operator of its organisation, and its call
     * button connected. The resident is named before the button connects: the hub reads the
     * bed's label (who is calling) when its call device connects.
     */
    async operatorBed(
      label: string,
      operator: { username: string; displayName: string },
      opts: { residentName?: string } = {},
    ) {
      const running = started(hub, 'the hub');
      const api = hubApi(running);
      const p = await api.provisionBed(label);
      expect((await api.put(`/api/beds/${p.bed.id}/rules`, { suppression: { warmupMs: 0 } })).status).toBe(200);
      if (opts.residentName)
        expect((await api.call('PATCH', `/api/residents/${p.resident.id}`, { name: opts.residentName })).status).toBe(
          200,
        );
      const user = { username: operator.username, password: passwordOf(operator.username) };
      expect(
        (
          await api.post('/api/users', {
            ...user,
            displayName: operator.displayName,
            role: 'operator',
            organisationId: p.org.id,
          })
        ).status,
      ).toBe(201);
      const creds = p.devices.button.credentials as Creds;
      const { client } = await button(running, creds);
      clients.push(client);
      return { ...p, api, user, creds, client };
    },
  };
}
