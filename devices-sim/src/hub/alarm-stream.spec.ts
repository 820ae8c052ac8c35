import { createServer, type Server } from 'node:http';
import { openAlarmStream } from './alarm-stream';

describe('alarm stream', () => {
  let server: Server;
  let url: string;
  let mode: 'missing' | 'stream' = 'missing';

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (mode === 'missing' || req.url !== '/api/alarms/stream') return void res.writeHead(404).end('{}');
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': hello\n\nevent: alarm.updated\ndata: {"id":"x"}\n\n');
      setTimeout(
        () =>
          res.write(
            'id: 7\nevent: alarm.raised\ndata: {"alarm": {"id":"a1","bedId":"b1",\ndata: "kind":"sos","severity":"critical"}, "at": "2026-11-22T12:00:00.000Z"}\n\n',
          ),
        50,
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );

  it('reports a hub without the endpoint as unavailable', async () => {
    mode = 'missing';
    expect(await openAlarmStream(url, undefined)).toEqual({ available: false, reason: 'hub has no alarm stream' });
  });

  it('parses alarm.raised events, multi-line data included, and ignores others', async () => {
    mode = 'stream';
    const r = await openAlarmStream(url, 'Basic x');
    if (!r.available) throw new Error('expected a stream');
    const alarm = await r.stream.waitFor((a) => a.bedId === 'b1', 2000);
    r.stream.close();
    expect(alarm).toMatchObject({ id: 'a1', kind: 'sos', severity: 'critical' });
    expect(r.stream.alarms).toHaveLength(1);
  });
});
