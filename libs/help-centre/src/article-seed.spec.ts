import { join } from 'node:path';
import { ArticleAlreadyExists, toArticleStreamId } from '@app/case-domain';
import { ManualClock } from '@app/clock';
import { ChangeArticle, handlersDoor, ChangeArticleHandler, type CommandDoor } from '@app/commands';
import { createEventStore, SqlEventStore, type EventStoreHandle } from '@app/event-store';
import { HELP_CENTRE_SEEDER, seedMissingArticles } from './article-seed';
import { loadHelpArticlesFile } from './help-articles-file.loader';

describe('seedMissingArticles: the starting articles, created at start when the log lacks them', () => {
  let handle: EventStoreHandle;
  let door: CommandDoor;
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const articles = loadHelpArticlesFile(join(__dirname, '..', '..', '..', 'config', 'help-articles.json'));
  const sam = { id: 'sam', role: 'supervisor' };

  // one store for the file: the tests follow each other on it
  beforeAll(async () => {
    handle = await createEventStore();
    door = handlersDoor([[ChangeArticle, new ChangeArticleHandler(handle.store, clock)]]);
  });
  afterAll(() => handle.store.close());

  it('creates every article the log lacks, each as revision 1 by the seeder, and nothing the second time', async () => {
    expect(await seedMissingArticles(door, articles)).toBe(articles.length);
    const { events } = await handle.store.readStream(toArticleStreamId(articles[0].id));
    expect(events).toMatchObject([
      {
        type: 'ArticleCreated',
        data: { ...articles[0], version: 1, at: '2026-03-02T09:00:00.000Z', byId: HELP_CENTRE_SEEDER.id },
        metadata: { actor: HELP_CENTRE_SEEDER },
      },
    ]);
    expect(await seedMissingArticles(door, articles)).toBe(0);
  });

  it('leaves an article the log has as the log has it, whatever the file now says', async () => {
    const [first] = articles;
    const revised = { ...first, title: `${first.title} (revised by an editor)` };
    await door.execute(
      new ChangeArticle({ command: { type: 'ReviseArticle', article: revised, actor: sam }, actor: sam }),
    );
    expect(await seedMissingArticles(door, [{ ...first, body: 'Another text.' }])).toBe(0);
    const { events } = await handle.store.readStream(toArticleStreamId(first.id));
    expect(events.map((e) => (e.data as { title: string }).title)).toEqual([first.title, revised.title]);
    // and the door refuses to create it again with other contents
    await expect(
      door.execute(new ChangeArticle({ command: { type: 'CreateArticle', article: first, actor: sam }, actor: sam })),
    ).rejects.toBeInstanceOf(ArticleAlreadyExists);
  });

  it('stores an article once when two processes seed it at the same time', async () => {
    const fresh = { ...articles[2], id: 'seeded-twice-en' };
    // another process: its own handler (queue, cache) and store on the same database
    const other = handlersDoor([[ChangeArticle, new ChangeArticleHandler(new SqlEventStore(handle.db), clock)]]);
    const counts = await Promise.all([seedMissingArticles(door, [fresh]), seedMissingArticles(other, [fresh])]);
    expect(counts.sort()).toEqual([0, 1]);
    expect(await handle.store.streamVersion(toArticleStreamId(fresh.id))).toBe(1);
  });
});
