/**
 * Help search benchmark (R5), on a fresh PostgreSQL database at DATABASE_URL (its own
 * database, dropped at the end):
 *   1. seeds the starting articles (config/help-articles.json) and generated filler articles
 *      (libs/help-centre testing/generated-articles: neighbouring admin topics in the same
 *      vocabulary) up to BENCH_ARTICLES (default 10,000), as the app seeds them;
 *   2. builds the `help_articles` read model with the projection runner;
 *   3. runs the labelled evaluation set (libs/help-centre/data/search-eval.json) as the help
 *      assistant would (the admin's language, the policy's product, 10 results) and prints
 *      recall@3 (share of queries with an answering article in the first 3), the MRR of the
 *      first answer, and the queries not answered in the first 3;
 *   4. runs the set BENCH_ROUNDS more times (default 5), one search at a time, and prints the
 *      latency percentiles of `searchHelpArticles`.
 * Targets: recall@3 ≥ 0.8, p99 ≤ 20 ms. The last line is one JSON object for CI to parse.
 *
 *   npm run bench:search      (DATABASE_URL=…, BENCH_ARTICLES=…, BENCH_ROUNDS=… to change)
 */
import { join } from 'node:path';
import { systemClock } from '../../libs/clock/src';
import { ChangeArticle, ChangeArticleHandler, handlersDoor } from '../../libs/commands/src';
import { createEventStore } from '../../libs/event-store/src';
import { loadHelpArticlesFile, seedMissingArticles } from '../../libs/help-centre/src';
import { loadSearchEvalSet, firstAnswerRank, searchQuality } from '../../libs/help-centre/src/search-evaluation';
import { generatedArticles } from '../../libs/help-centre/src/testing/generated-articles';
import { ProjectionRunner } from '../../libs/projections/src';
import { helpArticlesProjection, searchHelpArticles } from '../../libs/read-models/src';
import { createTestDatabase } from '../../libs/testing/src/postgres';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PRODUCT = 'cloud-identity-premium';
const ROOT = join(__dirname, '..', '..', '..');

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

const main = async () => {
  const starting = loadHelpArticlesFile(join(ROOT, 'config', 'help-articles.json'));
  const labelled = loadSearchEvalSet(join(ROOT, 'libs', 'help-centre', 'data', 'search-eval.json'));
  const database = await createTestDatabase(DATABASE_URL);
  try {
    const { store, db } = await createEventStore({ databaseUrl: database.url, poolSize: 8 });
    const seedStarted = Date.now();
    // through the door's article handler, as the API seeds them
    const door = handlersDoor([[ChangeArticle, new ChangeArticleHandler(store, systemClock)]]);
    const seeded =
      (await seedMissingArticles(door, starting)) +
      (await seedMissingArticles(door, generatedArticles(Math.max(0, ARTICLES - starting.length)), {
        concurrency: 8,
      }));
    const runner = new ProjectionRunner(helpArticlesProjection, { store, db, batchSize: 1_000 });
    await runner.prepare();
    await runner.catchUp({ timeoutMs: 600_000 });
    await db.exec('ANALYZE');
    const { rows } = await db.query<{ published: boolean; count: string | number }>(
      'SELECT published, count(*) AS count FROM help_articles GROUP BY published ORDER BY published',
    );
    console.log(
      `search bench: ${seeded} articles seeded and indexed in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s ` +
        `(${starting.length} starting, ${rows.map((r) => `${r.count} ${r.published ? 'published' : 'unpublished'}`).join(', ')})`,
    );

    const search = (q: (typeof labelled)[number]) =>
      searchHelpArticles(db, { query: q.query, language: q.language, product: PRODUCT, limit: 10 });
    const results = [];
    for (const q of labelled) {
      const ranked = (await search(q)).map((hit) => hit.articleId);
      results.push({ ...q, ranked });
    }
    const quality = searchQuality(results, 3);
    const missed = results.filter((r) => (firstAnswerRank(r.ranked, r.answers) ?? Infinity) > 3);
    for (const r of missed)
      console.log(
        `  not in the first 3 (${firstAnswerRank(r.ranked, r.answers) ?? '-'}): [${r.language}] ${r.query}\n` +
          `      wanted ${r.answers.join(', ')}; got ${r.ranked.slice(0, 3).join(', ')}`,
      );
    for (const language of ['fr', 'en'] as const) {
      const of = searchQuality(results.filter((r) => r.language === language));
      console.log(`  ${language}: recall@3 ${of.recallAtK.toFixed(3)}, MRR ${of.mrr.toFixed(3)}`);
    }
    console.log(
      `  ${results.length} labelled queries: recall@3 ${quality.recallAtK.toFixed(3)} (every labelled answer: ` +
        `${quality.labelRecallAtK.toFixed(3)}), MRR ${quality.mrr.toFixed(3)}`,
    );

    const latencies: number[] = [];
    for (let round = 0; round < ROUNDS; round++)
      for (const q of labelled) {
        const started = process.hrtime.bigint();
        await search(q);
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(
      `  latency over ${latencies.length} searches: p50 ${p50.toFixed(2)} ms, p95 ${percentile(latencies, 95).toFixed(2)} ms, ` +
        `p99 ${p99.toFixed(2)} ms, max ${latencies[latencies.length - 1].toFixed(2)} ms`,
    );
    await store.close();
    const round3 = (x: number) => Math.round(x * 1000) / 1000;
    console.log(
      JSON.stringify({
        bench: 'search',
        recallAt3: round3(quality.recallAtK),
        mrr: round3(quality.mrr),
        p99Ms: Math.round(p99 * 100) / 100,
        p50Ms: Math.round(p50 * 100) / 100,
        queries: results.length,
        articles: Number(rows.reduce((n, r) => n + Number(r.count), 0)),
      }),
    );
  } finally {
    await database.drop();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
