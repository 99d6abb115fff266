import { Module } from '@nestjs/common';
import { APP_CONFIG } from '@app/config';
import { CasesModule } from '../cases/cases.module';
import { HelpArticlesController } from './help-articles.controller';
import { GetHelpArticleHandler, SearchHelpArticlesHandler } from './help-articles.queries';
import { HelpArticlesSeeder, startingArticles, STARTING_ARTICLES } from './help-articles.seeder';

/**
 * /v1/help/articles (R5): the help-centre articles, and the starting ones (HELP_ARTICLES_FILE)
 * created at start when the log lacks them. The write interceptor and its idempotency table
 * come from CasesModule; the store, the registry (PROJECTIONS) and the clock are global.
 */
@Module({
  imports: [CasesModule],
  controllers: [HelpArticlesController],
  providers: [
    SearchHelpArticlesHandler,
    GetHelpArticleHandler,
    { provide: STARTING_ARTICLES, inject: [APP_CONFIG], useFactory: startingArticles },
    HelpArticlesSeeder,
  ],
})
export class HelpModule {}
