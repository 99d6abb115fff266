import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { takeAuditCheckpoint } from '@app/audit';
import { CLOCK, type Clock } from '@app/clock';
import { EVENT_STORE, SQL_DATABASE, type EventStore, type SqlDatabase } from '@app/event-store';
import type { Logger } from '@app/observability';
import { ROOT_LOGGER } from '../app.tokens';

export const AUDIT_CHECKPOINT_EVERY_MS = Symbol('AUDIT_CHECKPOINT_EVERY_MS');
/** default period of checkpoints of all chains' heads (a truncated tail is caught from the next one) */
export const DEFAULT_CHECKPOINT_EVERY_MS = 15 * 60_000;

/**
 * Takes a checkpoint of all chains' heads every period (libs/audit, audit-checkpoint.ts), in
 * the API process: it runs wherever the store is written. Several replicas each take one;
 * that is harmless, and an idle log gets none. A failure is logged and retried next period.
 */
@Injectable()
export class AuditCheckpointScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AUDIT_CHECKPOINT_EVERY_MS) private readonly everyMs: number,
    @Optional() @Inject(ROOT_LOGGER) private readonly logger?: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.everyMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.everyMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** one checkpoint now (skipped while the previous one still runs) */
  tick(): Promise<unknown> {
    this.running ??= takeAuditCheckpoint(this.store, this.db, {
      now: this.clock.now(),
      metadata: { actor: { id: 'system:audit-checkpoints', role: 'system' } },
    })
      .then((result) => {
        if (result.taken) this.logger?.info({ checkpoint: result.checkpoint }, 'audit checkpoint taken');
        return result;
      })
      .catch((err: unknown) => this.logger?.error({ err }, 'audit checkpoint failed; retrying next period'))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
