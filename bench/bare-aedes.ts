/**
 * Bare aedes relay for the benchmark baseline: accepts any login, no hooks, no persistence
 * beyond aedes' in-memory defaults. Usage: node dist/bench/bare-aedes.js <port>
 * Prints "listening <port>" when ready.
 */
import { createServer } from 'node:net';

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 0);
  // aedes 1.x is ESM-only; Node >= 20.19 can require() it from CommonJS.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Aedes } = require('aedes') as typeof import('aedes');
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  server.listen(port, '127.0.0.1', () => {
    process.stdout.write(`listening ${(server.address() as { port: number }).port}\n`);
  });
  const stop = () => server.close(() => broker.close(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
