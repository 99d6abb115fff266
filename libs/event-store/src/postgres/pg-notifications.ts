import { randomInt } from 'node:crypto';
import { Client } from 'pg';
import { PRESENCE_LOCK_CLASS } from '../sql-lease';

type Handler = (payload: string) => void;

export interface PgNotificationsOptions {
  readonly connectionString: string;
  /** first and longest wait before reconnecting a lost connection */
  readonly reconnectDelayMs?: { readonly min: number; readonly max: number };
  readonly onError: (error: Error) => void;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** a presence key: a positive int4, so that pg_locks' oid columns show it as it is */
const presenceKey = () => randomInt(1, 2 ** 31);

/**
 * One dedicated connection for LISTEN and NOTIFY, outside the pool: a pooled connection
 * would be handed to someone else between queries and lose its LISTENs. Connected on first
 * use; when lost, it reconnects with a capped backoff, re-LISTENs, and calls every handler
 * with `''`, because notifications sent while it was down are gone.
 *
 * The same connection holds this process's presence lock once {@link presence} has been
 * asked for (leases use it: sql-lease.ts): the server releases it when the session ends,
 * which it does at once when the process dies, even by SIGKILL, since the kernel closes the
 * socket. A reconnect takes the same key again.
 */
export class PgNotifications {
  private client?: Client;
  private connecting?: Promise<Client>;
  private readonly handlers = new Map<string, Set<Handler>>();
  private reconnectTimer?: NodeJS.Timeout;
  private delayMs: number;
  private closed = false;
  private presenceWanted = false;
  private presenceKey = presenceKey();
  /** the connection that holds the presence lock, if one does */
  private presenceHeldOn?: Client;
  private presenceTaking?: Promise<void>;
  private presenceHeldBefore = false;

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

  /**
   * The key of this process's presence lock (see the class): held from the first call on,
   * taken again after a reconnect. Undefined while the connection is down or closed: a
   * lease then records no presence and only its expiry frees it.
   */
  async presence(): Promise<number | undefined> {
    if (this.closed) return undefined;
    const held = this.client;
    if (held && this.presenceHeldOn === held) return this.presenceKey;
    this.presenceWanted = true;
    try {
      const client = await this.connect();
      if (this.presenceHeldOn !== client) {
        this.presenceTaking ??= this.takePresence(client).finally(() => (this.presenceTaking = undefined));
        await this.presenceTaking;
      }
      return this.client === client && this.presenceHeldOn === client ? this.presenceKey : undefined;
    } catch {
      // asked again at the next renewal; the lease meanwhile relies on its expiry alone
      return undefined;
    }
  }

  /**
   * Takes the presence lock on `client`, on another key if another live session holds this
   * one. After a reconnect, that session is most likely this process's old one, still
   * leaving the server: the same key is asked for again for a second first, since a lease
   * row that still names the old key would let a standby take it.
   */
  private async takePresence(client: Client): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const { rows } = await client.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1::int, $2::int) AS held', [
        PRESENCE_LOCK_CLASS,
        this.presenceKey,
      ]);
      if (rows[0].held) {
        this.presenceHeldBefore = true;
        this.presenceHeldOn = client;
        return;
      }
      if (this.presenceHeldBefore && attempt < 20) await new Promise((resolve) => setTimeout(resolve, 50));
      else this.presenceKey = presenceKey();
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
      if (this.presenceWanted) await this.takePresence(client);
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
    if (this.presenceHeldOn === client) this.presenceHeldOn = undefined;
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    if (!this.closed && (this.handlers.size > 0 || this.presenceWanted)) this.scheduleReconnect();
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
