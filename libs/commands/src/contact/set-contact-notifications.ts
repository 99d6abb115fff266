import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  contactAddressOf,
  contactDecider,
  toContactStreamId,
  type ContactEvent,
  type ContactState,
  type SetContactNotifications,
} from '@app/case-domain';
import { CLOCK, type Clock } from '@app/clock';
import { EVENT_STORE, type EventMetadata, type EventStore } from '@app/event-store';
import type { IdempotencyClaim } from '../idempotency';
import { StaleVersion } from '../stale-version';
import { StreamWriter } from '../stream-writer';

export interface ContactPreferences {
  readonly email: string;
  readonly notificationsEnabled: boolean;
  /** false when the setting was already so */
  readonly changed: boolean;
  /** the stream's version afterwards (If-Match); 0 for a person who never changed it */
  readonly version: number;
  readonly position?: number;
  /** true when the Idempotency-Key's write had committed before: this is its outcome again */
  readonly replayed: boolean;
}

/**
 * A person's notification e-mails for all their cases, off or on (stream `contact-<address>`;
 * docs/notifications.md). The timer indexer reads the events in log order, so an e-mail is
 * planned, or not, by the setting as it stood at the event that gives it.
 */
export class ChangeContactPreferences extends Command<ContactPreferences> {
  constructor(
    readonly request: {
      readonly command: SetContactNotifications;
      readonly actor: EventMetadata['actor'];
      readonly correlationId?: string;
      readonly expectedVersion?: number;
      readonly idempotency?: IdempotencyClaim;
    },
  ) {
    super();
  }
}

@CommandHandler(ChangeContactPreferences)
export class ChangeContactPreferencesHandler implements ICommandHandler<ChangeContactPreferences, ContactPreferences> {
  private readonly writer: StreamWriter<ContactState, ContactEvent>;

  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(CLOCK) clock: Clock) {
    this.writer = new StreamWriter(store, contactDecider, { now: () => clock.now(), cacheSize: 1_000 });
  }

  async execute({ request: r }: ChangeContactPreferences): Promise<ContactPreferences> {
    const email = contactAddressOf(r.command.email);
    const result = await this.writer.write({
      streamId: toContactStreamId(email),
      expectedVersion: r.expectedVersion,
      idempotency: r.idempotency,
      stale: (expected, actual) => new StaleVersion(`The preferences of ${email}`, expected, actual),
      metadata: { actor: r.actor, ...(r.correlationId ? { correlationId: r.correlationId } : {}) },
      decide: (state, _version, now) => contactDecider.decide(state, r.command, now),
    });
    return {
      email,
      notificationsEnabled: result.state.notificationsEnabled,
      changed: result.events.length > 0,
      version: result.version,
      position: result.position,
      replayed: result.replayed,
    };
  }
}
