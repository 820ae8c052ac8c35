import type { DatabaseHealth } from '@bedside/database';
import { IngestEvents, type CallForHelp } from './ingest.events';
import { UNSTORED_CALL_BOUND_MS, UnstoredCallWatch } from './unstored-call-watch';

const call: CallForHelp = {
  organisationId: 'org',
  deviceId: 'dev',
  kind: 'button',
  bedId: 'bed',
  eventId: 'e1',
  type: 'button.pressed',
  ts: 1,
  receivedAt: 2,
};

function setUp(down = false) {
  const bus = new IngestEvents();
  const seen: string[] = [];
  bus.unstoredCall$.subscribe((c) => seen.push(`unstored ${c.eventId}`));
  bus.storedCall$.subscribe((c) => seen.push(`stored ${c.eventId}`));
  const watch = new UnstoredCallWatch(bus, { down } as DatabaseHealth);
  return { watch, seen };
}

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('UnstoredCallWatch', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate'] }));
  afterEach(() => jest.useRealTimers());

  it('says nothing of a call stored within the bound but that it is stored', async () => {
    const { watch, seen } = setUp();
    const store = deferred();
    watch.watch(call, store.promise);
    jest.advanceTimersByTime(UNSTORED_CALL_BOUND_MS - 1);
    store.resolve();
    await flush();
    jest.advanceTimersByTime(UNSTORED_CALL_BOUND_MS);
    expect(seen).toEqual(['stored e1']);
  });

  it('reports a call whose storage outlasts the bound, once, then its storage', async () => {
    const { watch, seen } = setUp();
    const store = deferred();
    watch.watch(call, store.promise);
    jest.advanceTimersByTime(UNSTORED_CALL_BOUND_MS);
    expect(seen).toEqual(['unstored e1']);
    store.resolve();
    await flush();
    expect(seen).toEqual(['unstored e1', 'stored e1']);
  });

  it('reports a failed storage at once, and not again at the bound', async () => {
    const { watch, seen } = setUp();
    const store = deferred();
    watch.watch(call, store.promise);
    store.reject(new Error('connection refused'));
    await flush();
    expect(seen).toEqual(['unstored e1']);
    jest.advanceTimersByTime(UNSTORED_CALL_BOUND_MS * 2);
    expect(seen).toEqual(['unstored e1']);
  });

  it('reports at once while the database is known to be down', () => {
    const { watch, seen } = setUp(true);
    watch.watch(call, new Promise(() => undefined));
    expect(seen).toEqual(['unstored e1']);
  });
});
