/**
 * @app/help-centre: the help-centre articles the help assistant suggests before a case is
 * opened (R5). The starting articles file (`config/help-articles.json`: ≥ 25 topics, each
 * in French and English), its loader, and the seed that creates at start the articles the
 * log lacks. The articles are an aggregate of @app/case-domain (`article-<id>`), written
 * through the command door (`ChangeArticle` of @app/commands); their search is a read
 * model of @app/read-models (`help_articles`, `searchHelpArticles`).
 */
export { loadHelpArticlesFile, InvalidHelpArticlesFile } from './help-articles-file.loader';
export { seedMissingArticles, HELP_CENTRE_SEEDER, type SeedArticlesOptions } from './article-seed';
