import { createServer, type Server } from 'node:http';
import { checkHubSpeed, syncHubClock } from './hub-clock';

/** A hub stand-in whose clock runs at `speed` from a fixed start, shown only in whole seconds (HTTP Date). */
function fakeHub(
  speed: number,
  staleMs: (answer: number) => number = () => 0,
): Promise<{ url: string; server: Server; virtualNow: () => number }> {
  const realStart = Date.now();
  const virtualStart = Date.UTC(2026, 0, 10, 12, 30, 0);
  const virtualNow = () => virtualStart + (Date.now() - realStart) * speed;
  let answers = 0;
  const server = createServer((_req, res) => {
    res.setHeader('Date', new Date(virtualNow() - staleMs(answers++)).toUTCString());
    res.end('{}');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server, virtualNow }),
    ),
  );
}

describe('hub clock from the Date header', () => {
  it('finds a x60 clock to well under a second of hub time', async () => {
    const hub = await fakeHub(60);
    try {
      const clock = await syncHubClock(hub.url, 60);
      expect(Math.abs(clock.now() - hub.virtualNow())).toBeLessThan(1500);
      expect(clock.uncertaintyMs).toBeLessThan(1000);
      expect(clock.toReal(clock.toVirtual(1_000_000))).toBeCloseTo(1_000_000, 6);
    } finally {
      hub.server.close();
    }
  });

  it('leaves out answers whose Date is stale (written after a busy event loop), not the clock', async () => {
    // Every third answer is 3 hub seconds old: a 50 ms stall at x60.
    const hub = await fakeHub(60, (n) => (n % 3 === 1 ? 3000 : 0));
    try {
      const clock = await syncHubClock(hub.url, 60);
      expect(Math.abs(clock.now() - hub.virtualNow())).toBeLessThan(1500);
    } finally {
      hub.server.close();
    }
  });

  it('notices a hub running at another speed than given', async () => {
    const hub = await fakeHub(30);
    try {
      const since = Date.now();
      const clock = await syncHubClock(hub.url, 60).catch((err: Error) => err);
      // Either the Date answers already contradict x60, or the second sync drifts.
      if (clock instanceof Error) expect(clock.message).toMatch(/does not run at x60/);
      else {
        await new Promise((r) => setTimeout(r, 1500));
        // A later sync either contradicts x60 outright or measures the real speed.
        const checked = await checkHubSpeed(hub.url, clock, since).catch((err: Error) => err);
        if (checked instanceof Error) expect(checked.message).toMatch(/does not run at x60/);
        else expect(Math.abs(checked.measuredSpeed - 30)).toBeLessThan(6);
      }
    } finally {
      hub.server.close();
    }
  });
});
