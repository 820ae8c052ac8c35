import { createServer } from 'node:net';
import { intOption } from '../cli/common-options';
import { UsageError } from '../cli/exit-codes';

/** The default port when free; otherwise a free one (with a note). An explicit port must be free. */
export async function choosePort(
  name: string,
  value: unknown,
  fallback: number,
): Promise<{ port: number; note?: string }> {
  if (value !== undefined) {
    const port = intOption(name, value, 1, 65535);
    if (!(await portFree(port))) throw new UsageError(`${name} ${port} is in use`);
    return { port };
  }
  if (await portFree(fallback)) return { port: fallback };
  const port = await anyFreePort();
  return { port, note: `port ${fallback} is busy: using ${port} (${name} to choose)` };
}

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const srv = createServer();
    srv.once('error', () => done(false));
    srv.listen({ port, host: '0.0.0.0', exclusive: true }, () => srv.close(() => done(true)));
  });
}

function anyFreePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '0.0.0.0', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}
