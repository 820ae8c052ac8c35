import pg from 'pg';

/** A failure worth a warning; the error itself, so an outage can be told from the rest. */
type Warn = (msg: string, err: Error, fields?: Record<string, unknown>) => void;

/**
 * A dedicated PostgreSQL session LISTENing on the alarm log's channel: each NOTIFY (sent at an
 * append's commit) calls `onWake`. When the session drops it reconnects after `retryMs` and
 * wakes once, since notifications sent meanwhile were lost (the tailer's poll covers the gap too).
 */
export class AlarmLogListener {
  private client: pg.Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onWake: () => void,
    private readonly retryMs = 1000,
    private readonly warn: Warn = () => undefined,
  ) {}

  /** Resolves once listening, or once a first failure is logged and reconnecting is scheduled. */
  async start(): Promise<void> {
    this.stopped = false;
    try {
      await this.connect();
    } catch (err) {
      this.warn('alarm log LISTEN not started; retrying', err as Error);
      this.later();
    }
  }

  get listening(): boolean {
    return this.client !== null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const c = this.client;
    this.client = null;
    if (c) {
      c.removeAllListeners('end');
      await c.end().catch(() => undefined);
    }
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'bedside-alarm-log' });
    const lost = (err: Error) => {
      if (this.client !== client) return;
      this.client = null;
      client.removeAllListeners();
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      this.warn('alarm log LISTEN session lost; reconnecting', err);
      this.later();
    };
    client.on('error', lost);
    client.on('end', () => lost(new Error('connection ended')));
    client.on('notification', () => this.onWake());
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(this.channel)}`);
    } catch (err) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.stopped) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  private later(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect().then(
        () => this.onWake(),
        (err: Error) => {
          this.warn('alarm log LISTEN reconnect failed', err);
          this.later();
        },
      );
    }, this.retryMs);
    this.retry.unref();
  }
}
