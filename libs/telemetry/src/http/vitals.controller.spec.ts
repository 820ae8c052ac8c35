import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import request from 'supertest';
import type { AggregateQuery, AggregateRow, TelemetryPoint, TelemetryQuery } from '../telemetry-point';
import { TelemetryStore } from '../telemetry.store';
import { VitalsController } from './vitals.controller';

class FakeStore extends TelemetryStore {
  readonly name = 'fake';
  queries: TelemetryQuery[] = [];
  aggregates: AggregateQuery[] = [];
  points: TelemetryPoint[] = [];
  async write(): Promise<void> {}
  async query(q: TelemetryQuery): Promise<TelemetryPoint[]> {
    this.queries.push(q);
    return this.points.slice(0, q.limit);
  }
  async aggregate(q: AggregateQuery): Promise<AggregateRow[]> {
    this.aggregates.push(q);
    return [{ ts: q.from, values: { heartRate: { min: 1, mean: 2, max: 3, count: 4 } } }];
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}

const BED = '6f1c2a0e-1b2c-4d3e-8f90-a1b2c3d4e5f6';
const url = `/api/beds/${BED}/vitals`;

describe('VitalsController', () => {
  let app: INestApplication;
  const store = new FakeStore();

  beforeAll(async () => {
    const mod = await Test.createTestingModule({
      controllers: [VitalsController],
      providers: [{ provide: TelemetryStore, useValue: store }],
    }).compile();
    app = mod.createNestApplication({ logger: false });
    // Authorization (the bed's organisation) is the global guard's, tested with the policy; here a signed-in platform admin.
    app.use(
      (req: { user?: unknown }, _res: unknown, next: () => void) => (
        (req.user = { username: 'admin', role: 'admin', organisationId: null }),
        next()
      ),
    );
    await app.init();
  });
  afterAll(async () => app?.close());

  it('returns raw samples for a range given as ISO or epoch ms, with only the requested fields', async () => {
    store.points = [
      {
        deviceId: 'm1',
        bedId: BED,
        kind: 'mattress',
        seq: 1,
        ts: 1_736_000_000_000,
        heartRate: 60,
        respirationRate: 14,
        inBed: true,
      },
    ];
    const res = await request(app.getHttpServer())
      .get(url)
      .query({ from: '2025-01-04T00:00:00Z', to: '1736000400000', fields: 'heartRate' })
      .expect(200);
    expect(store.queries.at(-1)).toEqual({
      bedId: BED,
      from: Date.parse('2025-01-04T00:00:00Z'),
      to: 1736000400000,
      limit: 10_000,
    });
    expect(res.body.samples).toEqual([
      { deviceId: 'm1', kind: 'mattress', seq: 1, ts: 1_736_000_000_000, heartRate: 60, inBed: true },
    ]);
    expect(res.body.truncated).toBe(false);
  });

  it('aggregates when an interval is given', async () => {
    const res = await request(app.getHttpServer())
      .get(url)
      .query({ from: 0, to: 3_600_000, interval: '5m', fields: 'heartRate,spo2' })
      .expect(200);
    expect(store.aggregates.at(-1)).toEqual({
      bedId: BED,
      from: 0,
      to: 3_600_000,
      intervalMs: 300_000,
      fields: ['heartRate', 'spo2'],
    });
    expect(res.body).toMatchObject({
      intervalMs: 300_000,
      buckets: [{ ts: 0, values: { heartRate: { min: 1, mean: 2, max: 3, count: 4 } } }],
    });
  });

  it.each([
    ['unparseable from', url, { from: 'yesterday' }, /from must be an ISO 8601/],
    ['from >= to', url, { from: 2000, to: 1000 }, /from must be before to/],
    ['raw range too wide', url, { from: 0, to: 2 * 86_400_000 }, /give an interval/],
    ['unknown field', url, { fields: 'heartRate,pulse' }, /unknown field/],
    ['bad interval', url, { interval: '5 minutes' }, /interval must be a whole number/],
    ['interval too small', url, { interval: '10ms' }, /at least 1s/],
    ['too many intervals', url, { from: 0, to: 86_400_000 * 30, interval: '1m' }, /at most 10000/],
    ['unknown parameter', url, { bed: 'x' }, /should not exist/],
  ])('answers 400 for %s', async (_name, path, query, message) => {
    const res = await request(app.getHttpServer()).get(path).query(query).expect(400);
    expect(JSON.stringify(res.body.message)).toMatch(message);
  });

  it('is described in OpenAPI', () => {
    const doc = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    const op = doc.paths['/api/beds/{bedId}/vitals']?.get;
    expect(op?.tags).toEqual(['vitals']);
    expect(op?.parameters?.map((p) => ('name' in p ? p.name : '')).sort()).toEqual([
      'bedId',
      'fields',
      'from',
      'interval',
      'limit',
      'to',
    ]);
  });
});
