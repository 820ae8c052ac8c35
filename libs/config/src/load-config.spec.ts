import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('applies defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c.HTTP_PORT).toBe(3000);
    expect(c.MQTT_PORT).toBe(1883);
    expect(c.DATA_DIR).toBe('./data');
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('parses numbers and urls', () => {
    const c = loadConfig({
      HTTP_PORT: '8080',
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
      INFLUX_URL: 'http://localhost:8086',
    });
    expect(c.HTTP_PORT).toBe(8080);
    expect(c.DATABASE_URL).toContain('127.0.0.1');
  });

  it('reads the HTTP edge settings: body limit and extra allowed origins', () => {
    expect(loadConfig({}).HTTP_ALLOWED_ORIGINS).toEqual([]);
    const c = loadConfig({
      HTTP_BODY_LIMIT_BYTES: '65536',
      HTTP_ALLOWED_ORIGINS: 'https://console.example.org, http://10.0.0.5:5173',
    });
    expect(c.HTTP_BODY_LIMIT_BYTES).toBe(65536);
    expect(c.HTTP_ALLOWED_ORIGINS).toEqual(['https://console.example.org', 'http://10.0.0.5:5173']);
    expect(() => loadConfig({ HTTP_ALLOWED_ORIGINS: 'https://console.example.org/path' })).toThrow(
      /HTTP_ALLOWED_ORIGINS/,
    );
    expect(() => loadConfig({ HTTP_BODY_LIMIT_BYTES: '10' })).toThrow(/HTTP_BODY_LIMIT_BYTES/);
  });

  it('reads how long an idle pooled PostgreSQL connection is kept', () => {
    expect(loadConfig({}).DATABASE_POOL_IDLE_MS).toBe(10_000);
    expect(loadConfig({ DATABASE_POOL_IDLE_MS: '1000' }).DATABASE_POOL_IDLE_MS).toBe(1000);
    expect(() => loadConfig({ DATABASE_POOL_IDLE_MS: '0' })).toThrow(/DATABASE_POOL_IDLE_MS/);
  });

  it("reads the resolution of connected devices' stored last-seen instants", () => {
    expect(loadConfig({}).DEVICE_LAST_SEEN_RESOLUTION_MS).toBe(30_000);
    expect(loadConfig({ DEVICE_LAST_SEEN_RESOLUTION_MS: '5000' }).DEVICE_LAST_SEEN_RESOLUTION_MS).toBe(5000);
    expect(() => loadConfig({ DEVICE_LAST_SEEN_RESOLUTION_MS: '-1' })).toThrow(/DEVICE_LAST_SEEN_RESOLUTION_MS/);
    expect(() => loadConfig({ DEVICE_LAST_SEEN_RESOLUTION_MS: '600000' })).toThrow(/DEVICE_LAST_SEEN_RESOLUTION_MS/);
  });

  it('reads the wellness job settings', () => {
    expect(loadConfig({})).toEqual(
      expect.objectContaining({
        WELLNESS_SWEEP_MS: 300_000,
        WELLNESS_GRACE_MS: 1_800_000,
        WELLNESS_CATCH_UP_NIGHTS: 7,
      }),
    );
    expect(loadConfig({ WELLNESS_SWEEP_MS: '1000', WELLNESS_GRACE_MS: '0', WELLNESS_CATCH_UP_NIGHTS: '28' })).toEqual(
      expect.objectContaining({ WELLNESS_SWEEP_MS: 1000, WELLNESS_GRACE_MS: 0, WELLNESS_CATCH_UP_NIGHTS: 28 }),
    );
    expect(() => loadConfig({ WELLNESS_SWEEP_MS: '10' })).toThrow(/WELLNESS_SWEEP_MS/);
    expect(() => loadConfig({ WELLNESS_CATCH_UP_NIGHTS: '0' })).toThrow(/WELLNESS_CATCH_UP_NIGHTS/);
  });

  it('reads the cluster settings, and clustered mode requires PostgreSQL and NATS', () => {
    const single = loadConfig({});
    expect(single.CLUSTER_NODE_ID).toBeUndefined();
    expect(single.MQTT_PROXY_PROTOCOL).toBe(false);
    expect(single.NATS_SUBJECT_PREFIX).toBe('bedside');
    expect(single).toEqual(expect.objectContaining({ CLUSTER_PARTITIONS: 64, CLUSTER_LEASE_TTL_MS: 5000 }));
    const node = loadConfig({
      CLUSTER_NODE_ID: 'hub-a.1',
      DATABASE_URL: 'postgres://u@127.0.0.1:5432/db',
      CLUSTER_PARTITIONS: '128',
      CLUSTER_LEASE_TTL_MS: '3000',
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_SUBJECT_PREFIX: 'bedside.north',
      MQTT_PROXY_PROTOCOL: 'true',
    });
    expect(node).toEqual(
      expect.objectContaining({
        CLUSTER_NODE_ID: 'hub-a.1',
        CLUSTER_PARTITIONS: 128,
        CLUSTER_LEASE_TTL_MS: 3000,
        NATS_URL: 'nats://127.0.0.1:4222',
        NATS_SUBJECT_PREFIX: 'bedside.north',
        MQTT_PROXY_PROTOCOL: true,
      }),
    );
    expect(() => loadConfig({ CLUSTER_NODE_ID: 'hub-a' })).toThrow(/CLUSTER_NODE_ID.*requires DATABASE_URL/);
    expect(() => loadConfig({ CLUSTER_NODE_ID: 'hub-a', DATABASE_URL: 'postgres://u@h/db' })).toThrow(
      /CLUSTER_NODE_ID.*requires NATS_URL/,
    );
    expect(() =>
      loadConfig({ CLUSTER_NODE_ID: 'a b', DATABASE_URL: 'postgres://u@h/db', NATS_URL: 'nats://127.0.0.1:4222' }),
    ).toThrow(/CLUSTER_NODE_ID/);
    expect(() => loadConfig({ CLUSTER_LEASE_TTL_MS: '500' })).toThrow(/CLUSTER_LEASE_TTL_MS/);
    expect(() => loadConfig({ CLUSTER_PARTITIONS: '0' })).toThrow(/CLUSTER_PARTITIONS/);
    expect(() => loadConfig({ NATS_URL: 'http://127.0.0.1:4222' })).toThrow(/NATS_URL/);
    expect(() => loadConfig({ NATS_URL: 'nats://10.0.0.1:4222,http://10.0.0.2:4222' })).toThrow(/NATS_URL/);
    expect(loadConfig({ NATS_URL: 'nats://10.0.0.1:4222,nats://10.0.0.2:4222,nats://nats-3:4222' }).NATS_URL).toBe(
      'nats://10.0.0.1:4222,nats://10.0.0.2:4222,nats://nats-3:4222',
    );
    for (const prefix of ['a..b', 'a.*', 'a.>', 'a b', '.a', ''])
      expect(() => loadConfig({ NATS_SUBJECT_PREFIX: prefix })).toThrow(/NATS_SUBJECT_PREFIX/);
    expect(() => loadConfig({ MQTT_PROXY_PROTOCOL: 'yes' })).toThrow(/MQTT_PROXY_PROTOCOL/);
  });

  it('reads how fast connections held through a database outage are released', () => {
    expect(loadConfig({}).MQTT_OUTAGE_RELEASE_PER_S).toBe(250);
    expect(loadConfig({ MQTT_OUTAGE_RELEASE_PER_S: '40' }).MQTT_OUTAGE_RELEASE_PER_S).toBe(40);
    expect(() => loadConfig({ MQTT_OUTAGE_RELEASE_PER_S: '0' })).toThrow(/MQTT_OUTAGE_RELEASE_PER_S/);
    expect(() => loadConfig({ MQTT_OUTAGE_RELEASE_PER_S: 'fast' })).toThrow(/MQTT_OUTAGE_RELEASE_PER_S/);
  });

  it('reads the visit planner settings', () => {
    expect(loadConfig({})).toEqual(
      expect.objectContaining({ VISITS_SWEEP_MS: 300_000, VISIT_DEVIATION_DUE_HOURS: 24 }),
    );
    expect(loadConfig({ VISITS_SWEEP_MS: '1000', VISIT_DEVIATION_DUE_HOURS: '48' })).toEqual(
      expect.objectContaining({ VISITS_SWEEP_MS: 1000, VISIT_DEVIATION_DUE_HOURS: 48 }),
    );
    expect(() => loadConfig({ VISITS_SWEEP_MS: '10' })).toThrow(/VISITS_SWEEP_MS/);
    expect(() => loadConfig({ VISIT_DEVIATION_DUE_HOURS: '0' })).toThrow(/VISIT_DEVIATION_DUE_HOURS/);
  });

  it('lists every bad key at once', () => {
    try {
      loadConfig({ HTTP_PORT: 'abc', MQTT_PORT: '70000', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
      fail('expected ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const keys = (err as ConfigError).problems.map((p) => p.split('=')[0]).sort();
      expect(keys).toEqual(['DATABASE_URL', 'HTTP_PORT', 'LOG_LEVEL', 'MQTT_PORT']);
    }
  });

  it('requires cert and key when TLS is on', () => {
    expect(() => loadConfig({ MQTT_TLS_PORT: '8883' })).toThrow(
      /TLS_CERT_FILE[\s\S]*TLS_KEY_FILE|TLS_KEY_FILE[\s\S]*TLS_CERT_FILE/,
    );
  });
});
