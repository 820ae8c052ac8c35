import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderHaproxyConfig, type HaproxyConfigInput } from './haproxy-config';

/** The topology of docker-compose.cluster.yml; deploy/haproxy/haproxy.cfg is rendered from it. */
const COMPOSE: HaproxyConfigInput = {
  nodes: [1, 2, 3].map((i) => ({ name: `hub-${i}`, host: `hub-${i}`, mqttPort: 1883, httpPort: 3000 })),
  bindHost: '0.0.0.0',
  mqttPort: 1883,
  httpPort: 3000,
  maxConnections: 60000,
  nameserver: '127.0.0.11:53',
};

const nodes = [
  { name: 'hub-1', host: 'hub-1', mqttPort: 1883, httpPort: 3000 },
  { name: 'hub-2', host: 'hub-2', mqttPort: 1883, httpPort: 3000 },
];

describe('renderHaproxyConfig', () => {
  const cfg = renderHaproxyConfig({ nodes, bindHost: '0.0.0.0', mqttPort: 1883, httpPort: 8080, maxConnections: 1000 });

  it('hashes MQTT on the client id captured from CONNECT, consistently, and sends PROXY v2', () => {
    const lines = cfg.split('\n').map((l) => l.trim());
    const capture = lines.indexOf(
      'tcp-request content set-var(sess.mqtt_client_id) req.payload(0,0),mqtt_field_value(connect,client_identifier)',
    );
    expect(capture).toBeGreaterThan(
      lines.indexOf('tcp-request content reject unless { req.payload(0,0),mqtt_is_valid }'),
    );
    expect(lines).toContain('balance hash var(sess.mqtt_client_id)');
    expect(lines).toContain('hash-type consistent sdbm avalanche');
    expect(lines).toContain('server hub-1 hub-1:1883 check port 3000');
    expect(cfg).toMatch(/default-server .*send-proxy-v2/);
    // Keep alive 3600 s may go 1.5 periods silent before anyone may drop the device.
    expect(lines).toContain('timeout client 5430s');
    expect(lines).toContain('balance roundrobin');
    // The HTTP servers follow the MQTT servers' readiness checks rather than run their own.
    expect(lines).toContain('server hub-1 hub-1:3000 track hubs_mqtt/hub-1');
    expect(lines.filter((l) => l.startsWith('http-check send'))).toHaveLength(1);
    expect(lines).toContain('timeout tunnel 1h');
  });

  it('is a configuration HAProxy accepts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bedside-haproxy-cfg-'));
    try {
      const file = join(dir, 'haproxy.cfg');
      // Resolvable names for the check: HAProxy resolves server addresses at start.
      writeFileSync(file, cfg.replaceAll('hub-1:', '127.0.0.1:').replaceAll('hub-2:', '127.0.0.2:'));
      expect(() => execFileSync('/usr/sbin/haproxy', ['-c', '-q', '-f', file], { stdio: 'pipe' })).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is what deploy/haproxy/haproxy.cfg holds for docker-compose.cluster.yml', () => {
    const file = resolve(__dirname, '../../../deploy/haproxy/haproxy.cfg');
    // On a change, write renderHaproxyConfig(COMPOSE) to that file.
    expect(readFileSync(file, 'utf8')).toBe(renderHaproxyConfig(COMPOSE));
  });

  it('refuses an empty node list', () => {
    expect(() => renderHaproxyConfig({ nodes: [], bindHost: '0.0.0.0', mqttPort: 1883, httpPort: 80 })).toThrow(
      RangeError,
    );
  });
});
