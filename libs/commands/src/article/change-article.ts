import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  articleDecider,
  toArticleStreamId,
  type ArticleCommand,
  type ArticleEvent,
  type ArticleRevision,
  type ArticleState,
} from '@app/case-domain';
import { CLOCK, type Clock } from '@app/clock';
import { EVENT_STORE, type EventMetadata, type EventStore } from '@app/event-store';
import type { IdempotencyClaim } from '../idempotency';
import { StaleVersion } from '../stale-version';
import { StreamWriter } from '../stream-writer';

export interface ArticleChange {
  /** the article as it now stands (its latest revision) */
  readonly article: ArticleRevision;
  /** false when nothing changed (the same contents again) */
  readonly changed: boolean;
  /** global position of the event written, for read-your-writes (the search read model) */
  readonly position?: number;
  /** the stream's version afterwards (If-Match) */
  readonly version: number;
  /** true when the Idempotency-Key's write had committed before: this is its outcome again, nothing written */
  readonly replayed: boolean;
}

/** Creates or revises a help-centre article (R5), each its own stream `article-<id>`. */
export class ChangeArticle extends Command<ArticleChange> {
  constructor(
    readonly request: {
      readonly command: ArticleCommand;
      readonly actor: EventMetadata['actor'];
      readonly correlationId?: string;
      readonly expectedVersion?: number;
      readonly idempotency?: IdempotencyClaim;
    },
  ) {
    super();
  }
}

/**
 * Articles through the same write path as cases (stream-writer.ts). Refusals are the
 * decider's (ARTICLE.NOT_FOUND, ARTICLE.ALREADY_EXISTS, ARTICLE.LANGUAGE_CHANGED,
 * COMMAND.INVALID); a stale If-Match is {@link StaleVersion}.
 */
@CommandHandler(ChangeArticle)
export class ChangeArticleHandler implements ICommandHandler<ChangeArticle, ArticleChange> {
  private readonly writer: StreamWriter<ArticleState, ArticleEvent>;

  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(CLOCK) clock: Clock) {
    this.writer = new StreamWriter(store, articleDecider, { now: () => clock.now(), cacheSize: 1_000 });
  }

  async execute({ request: r }: ChangeArticle): Promise<ArticleChange> {
    const id = String(r.command.article.id ?? '')
      .trim()
      .toLowerCase();
    const result = await this.writer.write({
      streamId: toArticleStreamId(id),
      commandName: () => r.command.type,
      expectedVersion: r.expectedVersion,
      idempotency: r.idempotency,
      stale: (expected, actual) => new StaleVersion(`Article ${id}`, expected, actual),
      metadata: { actor: r.actor, ...(r.correlationId ? { correlationId: r.correlationId } : {}) },
      decide: (state, _version, now) => articleDecider.decide(state, r.command, now),
    });
    return {
      article: result.state.article as ArticleRevision,
      changed: result.events.length > 0,
      position: result.position,
      version: result.version,
      replayed: result.replayed,
    };
  }
}
