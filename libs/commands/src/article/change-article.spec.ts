import { ArticleAlreadyExists, ArticleNotFound, toArticleStreamId, type ArticleCommand } from '@app/case-domain';
import { ManualClock } from '@app/clock';
import { createEventStore, type EventStoreHandle } from '@app/event-store';
import { testSla } from '../../../sla/src/testing/test-sla';
import { standaloneDoor, type CommandDoor } from '../command-door';
import { StaleVersion } from '../stale-version';
import { ChangeArticle } from './change-article';

describe('ChangeArticle (R5: the help-centre articles)', () => {
  let handle: EventStoreHandle;
  let door: CommandDoor;
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const sam = { id: 'sam', role: 'supervisor' };
  const article = {
    id: 'reset-user-password-en',
    language: 'en',
    title: 'Reset a user’s password',
    body: 'In the Admin console, open **Users**, pick the user, then **Reset password**.',
    products: ['cloud-identity-premium'],
    problemCategories: ['passwords'],
    published: true,
  };
  const send = (type: ArticleCommand['type'], a: typeof article, expectedVersion?: number) =>
    door.execute(new ChangeArticle({ command: { type, article: a, actor: sam }, actor: sam, expectedVersion }));

  // one store for the file: each test works on its own article ids
  beforeAll(async () => {
    handle = await createEventStore();
    door = standaloneDoor({ store: handle.store, clock, sla: testSla(), surveyDelayMs: 0 });
  });
  afterAll(() => handle.store.close());

  it('creates an article in its own stream, then revises it: each event the whole article and its revision', async () => {
    expect(await send('CreateArticle', article)).toMatchObject({
      article: { ...article, version: 1 },
      changed: true,
      version: 1,
      position: expect.any(Number),
    });
    const v2 = { ...article, body: `${article.body}\n\nThe user must choose a new one at the next sign-in.` };
    clock.advance(60_000);
    expect(await send('ReviseArticle', v2, 1)).toMatchObject({
      article: { ...v2, version: 2 },
      changed: true,
      version: 2,
    });
    const { events } = await handle.store.readStream(toArticleStreamId(article.id));
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['ArticleCreated', { ...article, version: 1, at: '2026-03-02T09:00:00.000Z', byId: 'sam' }],
      ['ArticleRevised', { ...v2, version: 2, at: '2026-03-02T09:01:00.000Z', byId: 'sam' }],
    ]);
    expect(events[1].metadata.actor).toEqual(sam);
  });

  it('answers the same contents with no change, and refuses what the rules refuse', async () => {
    const a = { ...article, id: 'reset-user-password-fr', language: 'fr', title: 'Réinitialiser un mot de passe' };
    await send('CreateArticle', a);
    expect(await send('CreateArticle', a)).toMatchObject({ changed: false, version: 1, position: undefined });
    await expect(send('CreateArticle', { ...a, title: 'Autre titre' })).rejects.toBeInstanceOf(ArticleAlreadyExists);
    await expect(send('ReviseArticle', { ...a, id: 'never-created' })).rejects.toBeInstanceOf(ArticleNotFound);
    await send('ReviseArticle', { ...a, published: false });
    await expect(send('ReviseArticle', { ...a, title: 'Stale' }, 1)).rejects.toBeInstanceOf(StaleVersion);
  });
});
