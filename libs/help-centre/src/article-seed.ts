import { decideArticle, initialArticleState, toArticleStreamId, type Actor, type Article } from '@app/case-domain';
import { derivedUuid, EventIdConflict, ExpectedVersionConflict, type EventStore } from '@app/event-store';

/** The actor of the starting articles seeded at start. */
export const HELP_CENTRE_SEEDER: Actor = Object.freeze({ id: 'system:help-centre-seed', role: 'system' });

/** A stable id for the seed's event of an article: two processes seeding at once write the same event. */
const seedEventId = (articleId: string): string => derivedUuid('article-seed', articleId);

export interface SeedArticlesOptions {
  /** articles seeded side by side (each is its own stream); default 4 */
  readonly concurrency?: number;
}

/** Creates one article unless its stream exists; true when this call created it. */
const seedOne = async (store: EventStore, now: Date, article: Article): Promise<boolean> => {
  const streamId = toArticleStreamId(article.id);
  if ((await store.streamVersion(streamId)) > 0) return false;
  const events = decideArticle(initialArticleState, { type: 'CreateArticle', article, actor: HELP_CENTRE_SEEDER }, now);
  try {
    const appended = await store.appendToStream(
      streamId,
      events.map((e) => ({ ...e, eventId: seedEventId(article.id), metadata: { actor: HELP_CENTRE_SEEDER } })),
      'no-stream',
    );
    return !appended.duplicate;
  } catch (error) {
    // another process seeded it (or an editor created it) between the read and the append: theirs stands
    if (error instanceof ExpectedVersionConflict || error instanceof EventIdConflict) return false;
    throw error;
  }
};

/**
 * Creates each of `articles` (the starting articles file) whose stream the log does not
 * have yet, and only those: an article the log has, seeded before or created and revised
 * by an editor, keeps what the log says, whatever the file says now. Safe when several
 * processes start together: each creation expects no stream and has a stable event id, so
 * the same article seeded twice is stored once. Resolves to the number of articles this
 * call created.
 */
export const seedMissingArticles = async (
  store: EventStore,
  now: Date,
  articles: readonly Article[],
  { concurrency = 4 }: SeedArticlesOptions = {},
): Promise<number> => {
  let next = 0;
  let seeded = 0;
  const worker = async () => {
    while (next < articles.length) {
      const article = articles[next++];
      if (await seedOne(store, now, article)) seeded += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, articles.length)) }, worker));
  return seeded;
};
