import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Article } from '@app/case-domain';
import { CLOCK, type Clock } from '@app/clock';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { loadHelpArticlesFile, seedMissingArticles } from '@app/help-centre';

/** The starting articles, read from HELP_ARTICLES_FILE and validated when the module is built (none when it is empty). */
export const STARTING_ARTICLES = Symbol('STARTING_ARTICLES');

/** A bad file stops the start here, with one line naming the file and the entry (InvalidHelpArticlesFile). */
export const startingArticles = (config: AppConfig): readonly Article[] =>
  config.helpCentre.articlesFile === undefined ? [] : loadHelpArticlesFile(config.helpCentre.articlesFile);

/**
 * Creates, at every start of the API, the starting articles (HELP_ARTICLES_FILE) whose
 * stream the log does not have yet (`seedMissingArticles` of @app/help-centre). An article
 * the log has (seeded before, or created or revised through /v1/help/articles) keeps what
 * the log says: the API wins over the file. Several APIs starting together write each once.
 */
@Injectable()
export class HelpArticlesSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('HelpCentre');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(STARTING_ARTICLES) private readonly articles: readonly Article[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.articles.length === 0) return;
    const seeded = await seedMissingArticles(this.store, this.clock.now(), this.articles);
    if (seeded > 0)
      this.logger.log(
        `created ${seeded} help-centre articles from ${this.config.helpCentre.articlesFile}; revise them with /v1/help/articles`,
      );
  }
}
