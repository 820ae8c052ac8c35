import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { checkBodyHeaders, parseJsonBody, readBody } from './json-body';

const limits = { maxBytes: 1000, maxDepth: 4 };
const req = (method: string, headers: Record<string, string>) =>
  ({ method, headers }) as Pick<IncomingMessage, 'method' | 'headers'>;

describe('checkBodyHeaders', () => {
  it('accepts JSON in UTF-8 and body-less requests', () => {
    expect(
      checkBodyHeaders(
        req('POST', { 'content-type': 'application/json; charset=UTF-8', 'content-length': '2' }),
        limits,
      ),
    ).toBeUndefined();
    expect(checkBodyHeaders(req('POST', {}), limits)).toBeUndefined();
    expect(checkBodyHeaders(req('GET', { 'content-type': 'text/plain' }), limits)).toBeUndefined();
  });

  it('refuses form, multipart and text bodies with 415, even empty on a state-changing method', () => {
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain']) {
      expect(checkBodyHeaders(req('POST', { 'content-type': type, 'content-length': '3' }), limits)).toMatchObject({
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      });
      expect(checkBodyHeaders(req('DELETE', { 'content-type': type }), limits)).toMatchObject({ status: 415 });
    }
    expect(checkBodyHeaders(req('PUT', { 'content-length': '3' }), limits)).toMatchObject({
      status: 415,
      message: expect.stringMatching(/application\/json/),
    });
  });

  it('refuses other charsets and content codings', () => {
    expect(
      checkBodyHeaders(
        req('POST', { 'content-type': 'application/json; charset=latin1', 'content-length': '2' }),
        limits,
      ),
    ).toMatchObject({ status: 415 });
    expect(
      checkBodyHeaders(
        req('POST', { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': '2' }),
        limits,
      ),
    ).toMatchObject({ status: 415 });
  });

  it('refuses a declared length over the limit with 413 before reading', () => {
    expect(
      checkBodyHeaders(req('POST', { 'content-type': 'application/json', 'content-length': '1001' }), limits),
    ).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });
});

describe('parseJsonBody', () => {
  const parse = (s: string | Buffer) => parseJsonBody(Buffer.isBuffer(s) ? s : Buffer.from(s), limits);

  it('parses an object; an empty body is undefined', () => {
    expect(parse('{"a":[1,{"b":"李"}]}')).toEqual({ a: [1, { b: '李' }] });
    expect(parse('')).toBeUndefined();
  });

  it('refuses with a 400 naming the reason', () => {
    expect(() => parse('{"a":')).toThrow(
      expect.objectContaining({ status: 400, details: { field: 'body', reason: 'malformed-json' } }),
    );
    expect(() => parse('[[[[[1]]]]]')).toThrow(
      expect.objectContaining({ details: { field: 'body', reason: 'too-deep' } }),
    );
    expect(() => parse('[1]')).toThrow(
      expect.objectContaining({ details: { field: 'body', reason: 'not-an-object' } }),
    );
    expect(() => parse('null')).toThrow(
      expect.objectContaining({ details: { field: 'body', reason: 'not-an-object' } }),
    );
    expect(() => parse(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]))).toThrow(
      expect.objectContaining({ details: { field: 'body', reason: 'invalid-encoding' } }),
    );
    expect(() => parse('{"contacts":[{"name":"\\ud800"}]}')).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/^body\.contacts\[0\]\.name must not contain an unpaired/),
      }),
    );
  });
});

describe('readBody', () => {
  it('reads a body up to the limit', async () => {
    await expect(
      readBody(Readable.from([Buffer.from('{"a":'), Buffer.from('1}')]) as unknown as IncomingMessage, 10),
    ).resolves.toEqual(Buffer.from('{"a":1}'));
  });

  it('stops with 413 once the limit is passed', async () => {
    await expect(
      readBody(Readable.from([Buffer.alloc(6), Buffer.alloc(6)]) as unknown as IncomingMessage, 10),
    ).rejects.toMatchObject({ status: 413 });
  });
});
