import { Logger } from '@nestjs/common';
import { Subject } from 'rxjs';
import type { AlarmStream, AlarmStreamEvent } from '@bedside/alarms';
import { SystemClock } from '@bedside/common';
import type { DatabaseHealth } from '@bedside/database';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import type { DueDelivery, WebhookRepository } from './webhook.repository';

/** Records every poll; answers with what the test put in `next`. */
class FakeHooks {
  polls: number[] = [];
  next: { due: DueDelivery[]; nextAt: Date | null } = { due: [], nextAt: null };
  queued = 0;
  claimDue = (now: Date) => {
    this.polls.push(now.getTime());
    const r = this.next;
    this.next = { due: [], nextAt: null };
    return Promise.resolve(r);
  };
  enqueue = () => Promise.resolve(this.queued);
  recordAttempt = () => Promise.resolve();
}

const delivery = (id: number): DueDelivery => ({
  id,
  webhookId: 'w1',
  url: 'http://127.0.0.1:9/hook',
  secret: 's',
  eventId: id,
  eventType: 'alarm.raised',
  payload: {},
  attempts: 0,
});

describe('WebhookDispatcher polling', () => {
  const T0 = 1_000_000;
  let hooks: FakeHooks;
  let events: Subject<AlarmStreamEvent>;
  let dispatcher: WebhookDispatcher;
  const since = () => hooks.polls.map((t) => t - T0);

  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
    hooks = new FakeHooks();
    events = new Subject();
    jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(null, { status: 204 }));
    dispatcher = new WebhookDispatcher(
      { events$: events } as unknown as AlarmStream,
      hooks as unknown as WebhookRepository,
      new SystemClock(),
      { unavailable: () => false } as unknown as DatabaseHealth,
    );
  });
  afterEach(() => {
    dispatcher.onModuleDestroy();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('with nothing pending, asks at start and then once every idle period', async () => {
    dispatcher.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(3 * WebhookDispatcher.IDLE_POLL_MS + 10);
    expect(since()).toEqual([0, 1, 2, 3].map((i) => i * WebhookDispatcher.IDLE_POLL_MS));
  });

  it('sleeps until the next pending delivery falls due, and asks again at once after posting', async () => {
    hooks.next = { due: [], nextAt: new Date(T0 + 1_200) };
    dispatcher.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(1_199);
    expect(since()).toEqual([0]);
    hooks.next = { due: [delivery(1)], nextAt: null };
    await jest.advanceTimersByTimeAsync(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(since().slice(0, 2)).toEqual([0, 1_200]);
    // Right after the post, not an idle period later.
    expect(since()).toHaveLength(3);
    expect(since()[2]).toBeLessThanOrEqual(1_202);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('a delivery queued on this node wakes the poller at once', async () => {
    dispatcher.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(1_000);
    hooks.queued = 1;
    events.next({
      id: 7,
      type: 'alarm.raised',
      at: new Date(T0).toISOString(),
      alarm: { organisationId: 'o1' },
    } as never);
    await jest.advanceTimersByTimeAsync(0);
    expect(since()).toEqual([0, 1_000]);
  });

  it('a failed poll is tried again soon', async () => {
    let failing = true;
    hooks.claimDue = (now: Date) => {
      hooks.polls.push(now.getTime());
      return failing ? Promise.reject(new Error('boom')) : Promise.resolve({ due: [], nextAt: null });
    };
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    dispatcher.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(WebhookDispatcher.RETRY_MS);
    failing = false;
    await jest.advanceTimersByTimeAsync(WebhookDispatcher.RETRY_MS);
    expect(since()).toEqual([0, WebhookDispatcher.RETRY_MS, 2 * WebhookDispatcher.RETRY_MS]);
  });
});
