import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { toArticleStreamId } from '@app/case-domain';
import { ManualClock } from '@app/clock';
import { ChangeArticleHandler } from '@app/commands';
import { loadAppConfig } from '@app/config';
import { createEventStore } from '@app/event-store';
import { HELP_CENTRE_SEEDER, InvalidHelpArticlesFile } from '@app/help-centre';
import { HelpArticlesSeeder, startingArticles } from './help-articles.seeder';

const SHIPPED = join(__dirname, '..', '..', '..', '..', 'config', 'help-articles.json');

describe('the starting help-centre articles at API start (HELP_ARTICLES_FILE)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'help-seeder-'));
    Logger.overrideLogger(false); // the seeder's "created 60 articles" line
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file HELP_ARTICLES_FILE names (the shipped one: 60 articles), none when it is empty', () => {
    expect(startingArticles(loadAppConfig({ HELP_ARTICLES_FILE: SHIPPED }))).toHaveLength(60);
    expect(startingArticles(loadAppConfig({ HELP_ARTICLES_FILE: '' }))).toEqual([]);
  });

  it('refuses a bad file with one line naming the file and the entry', () => {
    const file = join(dir, 'bad.json');
    const good = {
      id: 'a-en',
      language: 'en',
      title: 'A',
      body: 'B',
      products: ['p'],
      problemCategories: [],
      published: true,
    };
    writeFileSync(file, JSON.stringify({ articles: [good, { ...good, id: 'b-en', language: 'de' }] }));
    const load = () => startingArticles(loadAppConfig({ HELP_ARTICLES_FILE: file }));
    expect(load).toThrow(InvalidHelpArticlesFile);
    expect(load).toThrow(
      new RegExp(
        `^Invalid help articles file ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: articles\\[1\\] \\("b-en"\\): [^\\n]*language[^\\n]*$`,
      ),
    );
    expect(() => startingArticles(loadAppConfig({ HELP_ARTICLES_FILE: join(dir, 'missing.json') }))).toThrow(
      /^Invalid help articles file .*missing\.json: cannot read the file/,
    );
  });

  it('creates the articles the log lacks at bootstrap, by the seeder, and nothing the next time', async () => {
    const { store } = await createEventStore();
    try {
      const config = loadAppConfig({ HELP_ARTICLES_FILE: SHIPPED });
      const articles = startingArticles(config);
      const clock = new ManualClock('2026-03-02T09:00:00Z');
      const seeder = new HelpArticlesSeeder(new ChangeArticleHandler(store, clock), articles, config);
      await seeder.onApplicationBootstrap();
      const { events } = await store.readStream(toArticleStreamId(articles[0].id));
      expect(events).toMatchObject([{ type: 'ArticleCreated', metadata: { actor: HELP_CENTRE_SEEDER } }]);
      const head = await store.readAll({ limit: 1000 });
      await seeder.onApplicationBootstrap();
      expect((await store.readAll({ limit: 1000 })).events).toHaveLength(head.events.length);
    } finally {
      await store.close();
    }
  });
});
