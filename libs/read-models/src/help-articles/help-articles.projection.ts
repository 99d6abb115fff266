import { ARTICLE_EVENT_TYPES, articleIdFromStreamId, type ArticleEvent, type ArticleLanguage } from '@app/case-domain';
import type { RecordedEvent, SqlQueryable } from '@app/event-store';
import type { Projection, ProjectionTables } from '@app/projections';
import { perTable, statementName } from '../sql-rows';

/** The stable names readers query (views over the active generation's tables). */
export const HELP_ARTICLES_TABLE = 'help_articles';
/** per language and lexeme, the published articles whose search document holds it */
export const HELP_SEARCH_TERMS_TABLE = 'help_search_terms';
/** per language, the published articles */
export const HELP_SEARCH_COUNTS_TABLE = 'help_search_counts';
type TableName = typeof HELP_ARTICLES_TABLE | typeof HELP_SEARCH_TERMS_TABLE | typeof HELP_SEARCH_COUNTS_TABLE;
type Tables = ProjectionTables<TableName>;

/**
 * The text search configuration of each article language: the language's stemmer and stop
 * words (`french`, `english`), with `unaccent` first, so that `reinitialiser` finds
 * `réinitialiser` and `securite` finds `sécurité` in either direction. Their names carry the
 * projection's version: a new version that changes them creates new ones, and the rows of the
 * old generation keep the configuration they were indexed with until the swap.
 */
export const SEARCH_CONFIGURATIONS: Readonly<Record<ArticleLanguage, string>> = {
  fr: 'help_fr_v1',
  en: 'help_en_v1',
};
const STEMMERS: Readonly<Record<ArticleLanguage, string>> = { fr: 'french', en: 'english' };

/**
 * The extension and the configurations, created once per database (schema), before the first
 * generation's table; every later generation finds them. `unaccent` is a contrib extension:
 * on PostgreSQL the server's contrib package (a trusted extension: the database owner may
 * create it), on PGlite the bundle PgliteDatabase loads.
 */
const searchConfigurations = () => `
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
${Object.entries(SEARCH_CONFIGURATIONS)
  .map(
    ([language, name]) => `  IF NOT EXISTS (
    SELECT 1 FROM pg_ts_config WHERE cfgname = '${name}' AND cfgnamespace = current_schema()::regnamespace
  ) THEN
    CREATE TEXT SEARCH CONFIGURATION ${name} (COPY = pg_catalog.${STEMMERS[language as ArticleLanguage]});
    ALTER TEXT SEARCH CONFIGURATION ${name}
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, ${STEMMERS[language as ArticleLanguage]}_stem;
  END IF;`,
  )
  .join('\n')}
END $$;`;

const createTable = (t: string) => `${searchConfigurations()}
CREATE TABLE ${t} (
  article_id text COLLATE "C" NOT NULL,
  language text COLLATE "C" NOT NULL,
  -- the article's revision number (its events' data.version)
  version integer NOT NULL,
  -- the stream version of the event the row was written from: the idempotency guard
  stream_version bigint NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  products text[] NOT NULL,
  problem_categories text[] NOT NULL,
  published boolean NOT NULL,
  revised_at timestamptz NOT NULL,
  -- the title (weight A) and the body (weight B), in the article language's configuration
  document tsvector NOT NULL,
  CONSTRAINT ${t}_pkey PRIMARY KEY (article_id)
)
-- rows stay whole in their page up to 8 kB: a search ranks hundreds of documents, and a
-- compressed (TOASTed) document would be decompressed for each (about twice the time)
WITH (toast_tuple_target = 8160);
-- of a row too long all the same, the body is compressed or moved out first
ALTER TABLE ${t} ALTER COLUMN document SET STORAGE MAIN;
-- what a search reads: the published articles of one language (help-search.query.ts)
CREATE INDEX ${t}_fr_idx ON ${t} USING gin (document) WHERE published AND language = 'fr';
CREATE INDEX ${t}_en_idx ON ${t} USING gin (document) WHERE published AND language = 'en';
`;

const createTermsTable = (t: string) => `
CREATE TABLE ${t} (
  language text COLLATE "C" NOT NULL,
  lexeme text COLLATE "C" NOT NULL,
  documents integer NOT NULL,
  -- also answers a prefix's range (lexeme >= 'passw' AND lexeme < 'passw' || U+10FFFF), collation "C"
  CONSTRAINT ${t}_pkey PRIMARY KEY (language, lexeme)
);`;

const createCountsTable = (t: string) => `
CREATE TABLE ${t} (
  language text COLLATE "C" NOT NULL,
  documents integer NOT NULL,
  CONSTRAINT ${t}_pkey PRIMARY KEY (language)
);`;

const configurationOf = `CASE u.language ${Object.entries(SEARCH_CONFIGURATIONS)
  .map(([language, name]) => `WHEN '${language}' THEN '${name}'::regconfig`)
  .join(' ')} END`;

const named = (text: string) => ({ text, name: statementName(text) });

/**
 * Per generation (its three tables, named in one key): the read of the rows a batch replaces, the multi-row upsert
 * of the batch's latest revision of each article (one array parameter per column, as
 * `rowTable`'s upsert does; the search document computed by the database; the guard keeps a
 * row from moving back to an older event), and the additions to the term counts.
 */
const statements = perTable((generation: string) => {
  const [articles, terms, counts] = generation.split(' ');
  return {
    // not named: planned for each batch's ids, it uses the primary key (case-queue.projection.ts)
    before: `SELECT article_id, language, published, stream_version, tsvector_to_array(document) AS lexemes
               FROM ${articles} WHERE article_id = ANY($1::text[])`,
    upsert: named(`INSERT INTO ${articles} AS t
  (article_id, language, version, stream_version, title, body, products, problem_categories, published, revised_at, document)
SELECT u.article_id, u.language, u.version, u.stream_version, u.title, u.body,
       ARRAY(SELECT jsonb_array_elements_text(u.products)), ARRAY(SELECT jsonb_array_elements_text(u.problem_categories)),
       u.published, u.revised_at,
       setweight(to_tsvector(${configurationOf}, u.title), 'A') || setweight(to_tsvector(${configurationOf}, u.body), 'B')
  FROM unnest($1::text[], $2::text[], $3::integer[], $4::bigint[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[],
              $9::boolean[], $10::timestamptz[])
    AS u(article_id, language, version, stream_version, title, body, products, problem_categories, published, revised_at)
ON CONFLICT (article_id) DO UPDATE SET
  language = EXCLUDED.language, version = EXCLUDED.version, stream_version = EXCLUDED.stream_version,
  title = EXCLUDED.title, body = EXCLUDED.body, products = EXCLUDED.products,
  problem_categories = EXCLUDED.problem_categories, published = EXCLUDED.published,
  revised_at = EXCLUDED.revised_at, document = EXCLUDED.document
WHERE t.stream_version < EXCLUDED.stream_version
RETURNING article_id, language, published, tsvector_to_array(document) AS lexemes`),
    addTerms: named(`INSERT INTO ${terms} AS s (language, lexeme, documents)
SELECT * FROM unnest($1::text[], $2::text[], $3::integer[])
ON CONFLICT (language, lexeme) DO UPDATE SET documents = s.documents + EXCLUDED.documents`),
    // a lexeme no published article holds any more leaves no row (a rebuild would write none)
    dropUnused: named(`DELETE FROM ${terms}
 WHERE documents <= 0 AND (language, lexeme) IN (SELECT * FROM unnest($1::text[], $2::text[]))`),
    addCounts: named(`INSERT INTO ${counts} AS s (language, documents)
SELECT * FROM unnest($1::text[], $2::integer[])
ON CONFLICT (language) DO UPDATE SET documents = s.documents + EXCLUDED.documents`),
  };
});

type Revision = { event: RecordedEvent; data: Extract<ArticleEvent, { type: 'ArticleCreated' }>['data'] };
type IndexedRow = { article_id: string; language: string; published: boolean; lexemes: string[] };

/** What a batch adds to (or, with -1, takes from) the counts: per language, and per language and lexeme. */
class TermChanges {
  readonly terms = new Map<string, number>();
  readonly counts = new Map<string, number>();

  add(row: Pick<IndexedRow, 'language' | 'published' | 'lexemes'>, sign: 1 | -1): void {
    if (!row.published) return;
    this.counts.set(row.language, (this.counts.get(row.language) ?? 0) + sign);
    for (const lexeme of row.lexemes) {
      const key = `${row.language}\u0000${lexeme}`;
      this.terms.set(key, (this.terms.get(key) ?? 0) + sign);
    }
  }

  async write(tx: SqlQueryable, s: ReturnType<typeof statements>): Promise<void> {
    const terms = [...this.terms]
      .filter(([, n]) => n !== 0)
      .map(([key, n]) => {
        const [language, lexeme] = key.split('\u0000');
        return [language, lexeme, n] as const;
      });
    if (terms.length > 0) {
      await tx.query(
        s.addTerms.text,
        [terms.map((t) => t[0]), terms.map((t) => t[1]), terms.map((t) => t[2])],
        s.addTerms,
      );
      const fewer = terms.filter((t) => t[2] < 0);
      if (fewer.length > 0)
        await tx.query(s.dropUnused.text, [fewer.map((t) => t[0]), fewer.map((t) => t[1])], s.dropUnused);
    }
    const counts = [...this.counts].filter(([, n]) => n !== 0);
    if (counts.length > 0)
      await tx.query(s.addCounts.text, [counts.map(([l]) => l), counts.map(([, n]) => n)], s.addCounts);
  }
}

/**
 * Each event carries the whole article as its revision left it, so a row is the latest
 * event of its stream and nothing else: no event is refused, none needs the row before it.
 * Of a batch, only each article's last revision is written; the term counts then lose the
 * lexemes of the rows replaced and gain those of the rows written (published ones only).
 */
const applyBatch = async (tx: SqlQueryable, events: readonly RecordedEvent[], tables: Tables): Promise<void> => {
  const latest = new Map<string, Revision>();
  for (const event of events) {
    if (articleIdFromStreamId(event.streamId) === null) continue;
    if (event.type !== 'ArticleCreated' && event.type !== 'ArticleRevised') continue;
    const data = (event as unknown as ArticleEvent).data;
    const known = latest.get(data.id);
    if (!known || known.event.streamVersion < event.streamVersion) latest.set(data.id, { event, data });
  }
  if (latest.size === 0) return;
  const s = statements(
    `${tables[HELP_ARTICLES_TABLE]} ${tables[HELP_SEARCH_TERMS_TABLE]} ${tables[HELP_SEARCH_COUNTS_TABLE]}`,
  );
  const { rows: replaced } = await tx.query<IndexedRow & { stream_version: number | string }>(s.before, [
    [...latest.keys()],
  ]);
  const before = new Map(replaced.map((r) => [r.article_id, r]));
  // an event already folded into its row (`streamVersion <= stream_version`) changes nothing
  const rows = [...latest.values()].filter(
    (r) => Number(before.get(r.data.id)?.stream_version ?? 0) < r.event.streamVersion,
  );
  if (rows.length === 0) return;
  const { rows: written } = await tx.query<IndexedRow>(
    s.upsert.text,
    [
      rows.map((r) => r.data.id),
      rows.map((r) => r.data.language),
      rows.map((r) => r.data.version),
      rows.map((r) => r.event.streamVersion),
      rows.map((r) => r.data.title),
      rows.map((r) => r.data.body),
      rows.map((r) => JSON.stringify(r.data.products)),
      rows.map((r) => JSON.stringify(r.data.problemCategories)),
      rows.map((r) => r.data.published),
      rows.map((r) => r.data.at),
    ],
    s.upsert,
  );
  const changes = new TermChanges();
  for (const row of written) {
    const old = before.get(row.article_id);
    if (old) changes.add(old, -1);
    changes.add(row, 1);
  }
  await changes.write(tx, s);
};

/**
 * `help_articles`: the latest revision of every help-centre article (R5), with its search
 * document, for the help assistant's suggestions (help-search.query.ts); unpublished
 * articles keep their row (`published = false`) and are never found. With it,
 * `help_search_terms` and `help_search_counts`: how many published articles of each
 * language hold each lexeme, which the search uses to leave out the words most articles
 * contain (search-terms.ts `keepDistinctive`).
 */
export const helpArticlesProjection: Projection<TableName> = {
  name: 'help-articles',
  version: 1,
  tables: {
    [HELP_ARTICLES_TABLE]: createTable,
    [HELP_SEARCH_TERMS_TABLE]: createTermsTable,
    [HELP_SEARCH_COUNTS_TABLE]: createCountsTable,
  },
  handles: ARTICLE_EVENT_TYPES,
  applyBatch,
};
