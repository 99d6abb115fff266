import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  articleDecider,
  foldEvents,
  parseArticle,
  toArticleStreamId,
  type Article,
  type ArticleCommand,
  type ArticleEvent,
} from '@app/case-domain';
import type { EventStore, SqlDatabase } from '@app/event-store';
import { ProjectionRunner } from '@app/projections';
import type { RunnerTestDatabase } from '../../../projections/src/testing/runner-test-context';
import {
  HELP_ARTICLES_TABLE,
  HELP_SEARCH_COUNTS_TABLE,
  HELP_SEARCH_TERMS_TABLE,
  helpArticlesProjection,
} from '../help-articles/help-articles.projection';
import { HelpSearchInvalid, searchHelpArticles, type HelpSearchQuery } from '../help-articles/help-search.query';

const editor = { id: 'sam', role: 'supervisor' };
let minute = 0;

/** Creates or revises an article as the command door would: fold, decide, append at that version. */
const write = async (store: EventStore, type: ArticleCommand['type'], article: Article): Promise<void> => {
  const streamId = toArticleStreamId(article.id);
  const { events, currentVersion } = await store.readStream(streamId);
  const state = foldEvents(articleDecider, events as unknown as ArticleEvent[]);
  const decided = articleDecider.decide(
    state,
    { type, article, actor: editor },
    new Date(Date.UTC(2026, 2, 2, 9, ++minute)),
  );
  await store.appendToStream(streamId, decided, currentVersion);
};

const article = (id: string, language: 'fr' | 'en', title: string, body: string, product: string): Article => ({
  id,
  language,
  title,
  body,
  products: [product],
  problemCategories: [],
  published: true,
});

/** The shipped starting articles (config/help-articles.json). */
const shippedArticles = (): Article[] =>
  (
    JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'config', 'help-articles.json'), 'utf8')) as {
      articles: Article[];
    }
  ).articles.map(parseArticle);

/** Every row of a view, as JSON, in key order. */
const rowsOf = async (db: SqlDatabase, view: string, order: string) =>
  (await db.query<{ row: unknown }>(`SELECT to_jsonb(t) AS row FROM ${view} t ORDER BY ${order}`)).rows.map((r) =>
    typeof r.row === 'string' ? JSON.parse(r.row) : r.row,
  );

const allRows = async (db: SqlDatabase) => ({
  articles: await rowsOf(db, HELP_ARTICLES_TABLE, 'article_id'),
  terms: await rowsOf(db, HELP_SEARCH_TERMS_TABLE, 'language, lexeme'),
  counts: await rowsOf(db, HELP_SEARCH_COUNTS_TABLE, 'language'),
});

/**
 * The help search read model (R5) on PGlite (help-articles.spec.ts) and PostgreSQL
 * (help-articles.int-spec.ts): one database for the file; each test writes its own articles
 * under its own product, and searches that product, so the tests do not see each other's.
 */
export const helpArticlesSuite = (adapter: string, createDatabase: () => Promise<RunnerTestDatabase>): void =>
  describe(`the help_articles read model and its search on ${adapter}`, () => {
    let database: RunnerTestDatabase;
    let runner: ProjectionRunner;
    const errors: Error[] = [];
    const search = async (q: Omit<HelpSearchQuery, 'language'> & { language?: 'fr' | 'en' }) => {
      await runner.catchUp();
      return searchHelpArticles(database.db, { language: 'en', ...q });
    };
    const ids = async (q: Parameters<typeof search>[0]) => (await search(q)).map((hit) => hit.articleId);

    beforeAll(async () => {
      database = await createDatabase();
      // small batches: revisions of one article land in different batches as well as in one
      runner = new ProjectionRunner(helpArticlesProjection, {
        store: database.store,
        db: database.db,
        batchSize: 3,
        onError: (e) => errors.push(e),
      });
      await runner.prepare();
    });
    afterAll(async () => {
      await runner.stop();
      await database.close();
    });
    afterEach(() => expect(errors).toEqual([]));

    it('finds articles by the words of a problem, words of the title counting more than those of the body', async () => {
      const p = 'p-rank';
      await write(
        database.store,
        'CreateArticle',
        article(
          'rank-body',
          'en',
          'Security settings',
          'If a user forgot the password, reset it from the user page.',
          p,
        ),
      );
      await write(
        database.store,
        'CreateArticle',
        article('rank-title', 'en', 'Reset a forgotten password', 'Open the user page and follow the steps.', p),
      );
      await write(
        database.store,
        'CreateArticle',
        article('rank-other', 'en', 'Invoices', 'Download the invoices of a period.', p),
      );
      const hits = await search({ query: 'user forgot the password, how to reset?', product: p });
      expect(hits.map((h) => h.articleId)).toEqual(['rank-title', 'rank-body']);
      expect(hits[0]).toEqual({
        articleId: 'rank-title',
        version: 1,
        title: 'Reset a forgotten password',
        language: 'en',
        score: expect.any(Number),
      });
      expect(hits[0].score).toBeGreaterThan(hits[1].score);
    });

    it('ignores accents and word endings, in the configuration of each language', async () => {
      const p = 'p-words';
      await write(
        database.store,
        'CreateArticle',
        article('words-fr', 'fr', 'Sécurité des connexions', 'Réinitialiser les paramètres de sécurité.', p),
      );
      await write(
        database.store,
        'CreateArticle',
        article('words-en', 'en', 'Passwords of suspended users', 'Suspended accounts keep their passwords.', p),
      );
      expect(await ids({ query: 'securite', language: 'fr', product: p, limit: 1 })).toEqual(['words-fr']);
      expect(await ids({ query: 'SÉCURITÉ.', language: 'fr', product: p, limit: 1 })).toEqual(['words-fr']);
      expect(await ids({ query: 'un parametre', language: 'fr', product: p, limit: 1 })).toEqual(['words-fr']);
      expect(await ids({ query: 'password suspension.', product: p, limit: 1 })).toEqual(['words-en']);
    });

    it('matches the last word as a prefix while it may be unfinished', async () => {
      const p = 'p-prefix';
      await write(
        database.store,
        'CreateArticle',
        article('prefix-en', 'en', 'Provisioning errors', 'Users are not provisioned.', p),
      );
      expect(await ids({ query: 'provis', product: p })).toEqual(['prefix-en']);
      expect(await ids({ query: 'provis ', product: p })).toEqual([]);
    });

    it('puts the articles in the admin’s language first, then the others', async () => {
      const p = 'p-language';
      await write(
        database.store,
        'CreateArticle',
        article('language-fr', 'fr', 'Erreurs SAML', 'Le certificat SAML a expiré.', p),
      );
      await write(
        database.store,
        'CreateArticle',
        article('language-en', 'en', 'SAML errors', 'The SAML certificate expired.', p),
      );
      const fr = await search({ query: 'saml', language: 'fr', product: p });
      expect(fr.map((h) => [h.articleId, h.language])).toEqual([
        ['language-fr', 'fr'],
        ['language-en', 'en'],
      ]);
      expect(await ids({ query: 'saml', language: 'en', product: p })).toEqual(['language-en', 'language-fr']);
      expect(await ids({ query: 'saml', language: 'en', product: p, limit: 1 })).toEqual(['language-en']);
    });

    it('shows only the latest revision, and only while it is published', async () => {
      const p = 'p-revision';
      const v1 = article('revision-en', 'en', 'Quarantine old devices', 'Old devices are quarantined.', p);
      await write(database.store, 'CreateArticle', v1);
      expect(await search({ query: 'quarantine', product: p })).toMatchObject([{ version: 1, title: v1.title }]);
      const v2 = { ...v1, title: 'Retire old laptops', body: 'Old laptops are retired.' };
      await write(database.store, 'ReviseArticle', v2);
      expect(await search({ query: 'quarantine', product: p })).toEqual([]);
      expect(await search({ query: 'laptops', product: p })).toMatchObject([{ version: 2, title: v2.title }]);
      await write(database.store, 'ReviseArticle', { ...v2, published: false });
      expect(await search({ query: 'laptops', product: p })).toEqual([]);
      await write(database.store, 'ReviseArticle', { ...v2, body: 'Old laptops are retired and wiped.' });
      expect(await search({ query: 'laptops wiped', product: p })).toMatchObject([{ version: 4, title: v2.title }]);
    });

    it('keeps to the product asked for, and to the page size', async () => {
      await write(
        database.store,
        'CreateArticle',
        article('product-a', 'en', 'Printer queues', 'Printer queues of the office.', 'p-a'),
      );
      await write(
        database.store,
        'CreateArticle',
        article('product-b', 'en', 'Printer drivers', 'Printer drivers of the office.', 'p-b'),
      );
      expect(await ids({ query: 'printer', product: 'p-a' })).toEqual(['product-a']);
      expect(await ids({ query: 'printer', product: 'P-B ' })).toEqual(['product-b']);
      expect((await ids({ query: 'printer office' })).sort()).toEqual(['product-a', 'product-b']);
      expect(await ids({ query: 'printer', limit: 1 })).toHaveLength(1);
    });

    it('answers a query with no word, or with tsquery syntax, without error; refuses an unknown language', async () => {
      expect(await search({ query: '' })).toEqual([]);
      expect(await search({ query: ' the of a ' })).toEqual([]);
      expect(await search({ query: "printer & ( | !:* '" })).not.toHaveLength(0);
      await expect(search({ query: 'printer', language: 'de' as 'fr' })).rejects.toBeInstanceOf(HelpSearchInvalid);
    });

    it('determinism: the shipped articles and every revision above, built in batches of 3, equal a rebuild; the term counts equal a recount', async () => {
      for (const a of shippedArticles()) await write(database.store, 'CreateArticle', a);
      const shipped = shippedArticles();
      await write(database.store, 'ReviseArticle', { ...shipped[0], published: false });
      await write(database.store, 'ReviseArticle', { ...shipped[1], body: `${shipped[1].body}\n\nUpdated.` });
      await runner.catchUp();
      const built = await allRows(database.db);
      expect(built.articles.length).toBeGreaterThanOrEqual(shipped.length);

      // the oracle of the counts: PostgreSQL's own statistics of the published documents
      for (const language of ['fr', 'en']) {
        const { rows } = await database.db.query<{ word: string; ndoc: number | string }>(
          `SELECT word, ndoc FROM ts_stat('SELECT document FROM ${HELP_ARTICLES_TABLE} WHERE published AND language = ''${language}''') ORDER BY word COLLATE "C"`,
        );
        const counted = built.terms.filter((t: { language: string }) => t.language === language);
        expect(counted.map((t: { lexeme: string; documents: number }) => [t.lexeme, t.documents])).toEqual(
          rows.map((r) => [r.word, Number(r.ndoc)]),
        );
        const published = built.articles.filter(
          (a: { language: string; published: boolean }) => a.language === language && a.published,
        );
        expect(built.counts).toContainEqual({ language, documents: published.length });
      }

      expect(await runner.rebuild({ batchSize: 500 })).toMatchObject({ generation: 2, swapped: true });
      expect(await allRows(database.db)).toEqual(built);
      expect(await runner.parked()).toEqual({ streams: 0, events: 0 });
      // the search still answers from the new generation
      expect(await ids({ query: 'saml', language: 'en', product: 'p-language', limit: 1 })).toEqual(['language-en']);
    });
  });
