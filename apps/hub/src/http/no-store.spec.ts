import { ServerResponse, IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { forceNoStore, isNoStorePath } from './no-store';

describe('no-store on API answers', () => {
  it('covers /api except the OpenAPI document', () => {
    expect(isNoStorePath('/api/beds')).toBe(true);
    expect(isNoStorePath('/api/docs')).toBe(true);
    expect(isNoStorePath('/api/openapi.json')).toBe(false);
    expect(isNoStorePath('/assets/index.js')).toBe(false);
    expect(isNoStorePath('/apix')).toBe(false);
  });

  it("overrides a handler's own caching when the head is written, keeping no-transform", () => {
    const res = new ServerResponse(new IncomingMessage(new Socket()));
    forceNoStore(res);
    res.setHeader('cache-control', 'no-cache, no-transform');
    res.writeHead(200);
    expect(res.getHeader('cache-control')).toBe('no-store, no-transform');
    const plain = new ServerResponse(new IncomingMessage(new Socket()));
    forceNoStore(plain);
    plain.setHeader('cache-control', 'public, max-age=600');
    plain.writeHead(200);
    expect(plain.getHeader('cache-control')).toBe('no-store');
  });
});
