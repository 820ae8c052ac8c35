import { connect } from 'node:net';
import { startNats } from './nats-server';

describe('startNats', () => {
  it('runs a core NATS server that routes a message between two connections', async () => {
    const nats = await startNats();
    try {
      const open = () =>
        new Promise<{ send: (s: string) => void; text: () => string; close: () => void }>((resolve) => {
          let got = '';
          const s = connect(nats.port, '127.0.0.1', () =>
            resolve({ send: (t) => s.write(t), text: () => got, close: () => s.destroy() }),
          );
          s.on('data', (d: Buffer) => (got += d.toString()));
        });
      const sub = await open();
      const pub = await open();
      // NATS client protocol: CONNECT, SUB <subject> <sid>, PUB <subject> <bytes>, PING/PONG.
      sub.send('CONNECT {"verbose":false}\r\nSUB bedside.test 1\r\nPING\r\n');
      await waitText(sub.text, /PONG/);
      pub.send('CONNECT {"verbose":false}\r\nPUB bedside.test 5\r\nhello\r\nPING\r\n');
      await waitText(sub.text, /MSG bedside\.test 1 5\r\nhello\r\n/);
      sub.close();
      pub.close();
    } finally {
      await nats.stop();
    }
  });
});

async function waitText(text: () => string, re: RegExp): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!re.test(text())) {
    if (Date.now() > deadline) throw new Error(`no ${String(re)} in ${JSON.stringify(text())}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
