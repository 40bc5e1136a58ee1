import pg from 'pg';

/** What a listener is told: each NOTIFY payload, and `resync` when notifications may have been lost. */
export interface NotificationHandler {
  notify(payload: string): void;
  /** After the listening connection came back from a drop: whatever was notified meanwhile is gone. */
  resync?(): void;
}

/** Waits between reconnection attempts double from the first to the last, then stay there. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 10_000;
/** A silent half-open connection would never fail by itself: ask it something this often. */
const PING_MS = 30_000;
/** A ping (or LISTEN) that takes longer than this means the connection is gone. */
const QUERY_TIMEOUT_MS = 10_000;

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * LISTEN on PostgreSQL needs a connection of its own for as long as it listens: a pooled one is
 * handed to other queries and its LISTENs go with it. One connection serves every channel of a
 * database handle; when it drops it comes back by itself with growing waits, LISTENs again and
 * tells each handler to resync, since notifications sent while it was away are lost.
 */
export class PostgresListener {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private readonly handlers = new Map<string, Set<NotificationHandler>>();
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly url: string) {}

  /**
   * Starts delivering `channel`'s notifications to `handler`. The first call opens the
   * connection, and its failure is the caller's (a database that cannot be reached at start is
   * an error); later drops are repaired in the background.
   */
  async listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>> {
    if (!CHANNEL.test(channel)) throw new Error(`not a channel name: ${channel}`);
    if (this.closed) throw new Error('the database is closed');
    let handlers = this.handlers.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.handlers.set(channel, handlers);
    }
    handlers.add(handler);
    try {
      const client = await this.connected();
      // LISTEN twice on one connection is a no-op, so this is safe even if connect() already did it.
      await client.query(`LISTEN ${channel}`);
    } catch (error) {
      handlers.delete(handler);
      throw error;
    }
    return async () => {
      const current = this.handlers.get(channel);
      if (!current?.delete(handler) || current.size > 0) return;
      this.handlers.delete(channel);
      await this.client?.query(`UNLISTEN ${channel}`).catch(() => {});
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    const client = this.client ?? (await this.connecting?.catch(() => null));
    this.client = null;
    await client?.end().catch(() => {});
  }

  private connected(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.url,
      application_name: 'gcc-listener',
      keepAlive: true,
      query_timeout: QUERY_TIMEOUT_MS,
    });
    client.on('notification', (message) => {
      for (const handler of this.handlers.get(message.channel) ?? []) {
        try {
          handler.notify(message.payload ?? '');
        } catch (error) {
          console.error(`listener on ${message.channel} failed:`, error);
        }
      }
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    await client.connect();
    try {
      for (const channel of this.handlers.keys()) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      throw new Error('the database is closed');
    }
    this.client = client;
    this.retryMs = FIRST_RETRY_MS;
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      client.query('SELECT 1').catch(() => this.lost(client));
    }, PING_MS);
    this.pingTimer.unref();
    return client;
  }

  /** The connection failed or ended: drop it and try again after a wait, unless we are closing. */
  private lost(client: pg.Client): void {
    if (this.client !== client || this.closed) return;
    this.client = null;
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    client.end().catch(() => {});
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connected().then(
        () => {
          for (const handlers of this.handlers.values()) for (const handler of handlers) handler.resync?.();
        },
        () => this.scheduleReconnect(),
      );
    }, wait);
    this.retryTimer.unref();
  }
}
