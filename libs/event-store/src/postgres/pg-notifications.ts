import { Client } from 'pg';

type Handler = (payload: string) => void;

export interface PgNotificationsOptions {
  readonly connectionString: string;
  /** first and longest wait before reconnecting a lost connection */
  readonly reconnectDelayMs?: { readonly min: number; readonly max: number };
  readonly onError: (error: Error) => void;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * One dedicated connection for LISTEN and NOTIFY, outside the pool: a pooled connection
 * would be handed to someone else between queries and lose its LISTENs. Connected on first
 * use; when lost, it reconnects with a capped backoff, re-LISTENs, and calls every handler
 * with `''`, because notifications sent while it was down are gone.
 */
export class PgNotifications {
  private client?: Client;
  private connecting?: Promise<Client>;
  private readonly handlers = new Map<string, Set<Handler>>();
  private reconnectTimer?: NodeJS.Timeout;
  private delayMs: number;
  private closed = false;

  constructor(private readonly options: PgNotificationsOptions) {
    this.delayMs = this.delays.min;
  }

  private get delays() {
    return this.options.reconnectDelayMs ?? { min: 100, max: 5_000 };
  }

  async listen(channel: string, handler: Handler): Promise<() => Promise<void>> {
    const existing = this.handlers.get(channel);
    const handlers = existing ?? new Set<Handler>();
    handlers.add(handler);
    this.handlers.set(channel, handlers);
    try {
      const client = await this.connect();
      // a second LISTEN on the same channel is harmless; a missing one loses notifications
      if (!existing) await client.query(`LISTEN ${quoteIdent(channel)}`);
    } catch (error) {
      this.removeHandler(channel, handler);
      throw error;
    }
    return async () => {
      if (this.removeHandler(channel, handler) && this.client)
        await this.client.query(`UNLISTEN ${quoteIdent(channel)}`);
    };
  }

  async notify(channel: string, payload: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const client = await this.connect();
      try {
        await client.query('SELECT pg_notify($1, $2)', [channel, payload]);
        return;
      } catch (error) {
        // a connection the server cut is only noticed when used: drop it, try once more on a new one
        this.lost(client);
        if (attempt >= 2) throw error;
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.handlers.clear();
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** true when it was the channel's last handler */
  private removeHandler(channel: string, handler: Handler): boolean {
    const handlers = this.handlers.get(channel);
    if (!handlers?.delete(handler) || handlers.size > 0) return false;
    this.handlers.delete(channel);
    return true;
  }

  private connect(): Promise<Client> {
    if (this.closed) return Promise.reject(new Error('The notification connection is closed'));
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(): Promise<Client> {
    const client = new Client({
      connectionString: this.options.connectionString,
      application_name: 'event-store-listener',
    });
    client.on('notification', ({ channel, payload }) => this.deliver(channel, payload ?? ''));
    client.on('error', (error) => {
      this.options.onError(error);
      this.lost(client);
    });
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN ${quoteIdent(channel)}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end();
      throw new Error('The notification connection is closed');
    }
    this.client = client;
    return client;
  }

  private deliver(channel: string, payload: string) {
    for (const handler of this.handlers.get(channel) ?? []) {
      // called from pg's socket handler: a handler's exception would escape there and end the process
      try {
        handler(payload);
      } catch (error) {
        this.options.onError(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  private lost(client: Client) {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    if (!this.closed && this.handlers.size > 0) this.scheduleReconnect();
  }

  private scheduleReconnect() {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.connect().then(
        () => {
          this.delayMs = this.delays.min;
          // notifications sent while we were away are lost: tell every listener to look
          for (const channel of this.handlers.keys()) this.deliver(channel, '');
        },
        (error: Error) => {
          this.options.onError(error);
          this.delayMs = Math.min(this.delayMs * 2, this.delays.max);
          if (!this.closed) this.scheduleReconnect();
        },
      );
    }, this.delayMs);
    this.reconnectTimer.unref();
  }
}
