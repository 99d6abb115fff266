import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Article } from '@app/case-domain';
import { ChangeArticle, ChangeArticleHandler, handlersDoor } from '@app/commands';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { loadHelpArticlesFile, seedMissingArticles } from '@app/help-centre';

/** The starting articles, read from HELP_ARTICLES_FILE and validated when the module is built (none when it is empty). */
export const STARTING_ARTICLES = Symbol('STARTING_ARTICLES');

/** A bad file stops the start here, with one line naming the file and the entry (InvalidHelpArticlesFile). */
export const startingArticles = (config: AppConfig): readonly Article[] =>
  config.helpCentre.articlesFile === undefined ? [] : loadHelpArticlesFile(config.helpCentre.articlesFile);

/**
 * Creates, at every start of the API, the starting articles (HELP_ARTICLES_FILE) whose
 * stream the log does not have yet (`seedMissingArticles` of @app/help-centre, through the
 * command door's article handler, called directly: the CommandBus learns its handlers in
 * CqrsModule's onApplicationBootstrap, which Nest may run after this one). An article
 * the log has (seeded before, or created or revised through /v1/help/articles) keeps what
 * the log says: the API wins over the file. Several APIs starting together write each once.
 */
@Injectable()
export class HelpArticlesSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('HelpCentre');

  constructor(
    @Inject(ChangeArticleHandler) private readonly handler: ChangeArticleHandler,
    @Inject(STARTING_ARTICLES) private readonly articles: readonly Article[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.articles.length === 0) return;
    const seeded = await seedMissingArticles(handlersDoor([[ChangeArticle, this.handler]]), this.articles);
    if (seeded > 0)
      this.logger.log(
        `created ${seeded} help-centre articles from ${this.config.helpCentre.articlesFile}; revise them with /v1/help/articles`,
      );
  }
}
