import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { pinoHttp, type Options } from 'pino-http';
import { loggerOptions } from './logger-options';

function capture() {
  const lines: string[] = [];
  const middleware = pinoHttp(loggerOptions('info').pinoHttp as Options, { write: (s: string) => void lines.push(s) });
  const req = new IncomingMessage(new Socket());
  req.method = 'POST';
  req.url = '/api/residents?name=%E6%9D%8E';
  req.headers = {
    authorization: 'Basic YWRtaW46aHVudGVyMg==',
    cookie: 'session=abc',
    'content-type': 'application/json',
  };
  middleware(req, new ServerResponse(req));
  return { lines, log: (req as IncomingMessage & { log: import('pino').Logger }).log, req };
}

describe('loggerOptions', () => {
  it('writes a request as id, method and path only', () => {
    const { lines, log, req } = capture();
    log.warn({ req }, 'something about this request');
    const out = lines.join('');
    expect(JSON.parse(lines[0]).req).toEqual({ id: expect.anything(), method: 'POST', path: '/api/residents' });
    expect(out).not.toMatch(/YWRtaW46aHVudGVyMg|session=abc|%E6%9D%8E|authorization/i);
  });

  it('binds only the request id to log lines written while a request is handled', () => {
    const { lines, log } = capture();
    log.info('handled');
    const line = JSON.parse(lines[0]);
    expect(line.reqId).toBeDefined();
    expect(line.req).toBeUndefined();
  });

  it('redacts passwords, secrets, tokens and bodies wherever they are logged', () => {
    const { lines, log } = capture();
    log.info(
      {
        password: 'hunter2',
        user: { passwordHash: 'scrypt$x', token: 'tok-1' },
        hook: { secret: 's3cret' },
        body: { name: '李秀英' },
      },
      'x',
    );
    const out = lines.join('');
    expect(out).not.toMatch(/hunter2|scrypt\$x|tok-1|s3cret|李秀英/);
    expect(out).toMatch(/\[redacted\]/);
  });
});
