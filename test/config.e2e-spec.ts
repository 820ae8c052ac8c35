import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/** A bad configuration stops the hub before it opens anything, naming every bad key. */
it('exits 78 listing every bad key', () => {
  const root = resolve(__dirname, '..');
  const r = spawnSync(process.execPath, [join(root, 'dist/apps/hub/src/main.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      HTTP_PORT: 'eighty',
      MQTT_PORT: '99999',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'chatty',
    },
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(r.status).toBe(78);
  for (const key of ['HTTP_PORT', 'MQTT_PORT', 'DATABASE_URL', 'LOG_LEVEL']) expect(r.stderr).toContain(`${key}=`);
});
