import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARTICLE_LANGUAGES } from '@app/case-domain';
import { InvalidHelpArticlesFile, loadHelpArticlesFile } from './help-articles-file.loader';
import { loadSearchEvalSet } from './search-evaluation';

const ROOT = join(__dirname, '..', '..', '..');
const SHIPPED = join(ROOT, 'config', 'help-articles.json');
const EVAL_SET = join(ROOT, 'libs', 'help-centre', 'data', 'search-eval.json');

/** words as a reader counts them: runs of letters or digits (Markdown marks are not words) */
const wordCount = (text: string) => (text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? []).length;

describe('the starting help-centre articles (config/help-articles.json)', () => {
  const articles = loadHelpArticlesFile(SHIPPED);
  const topicOf = (id: string) => id.replace(/-(fr|en)$/, '');

  it('cover at least 25 topics, each in French and in English, every article published and about the product', () => {
    const topics = new Map<string, string[]>();
    for (const a of articles) topics.set(topicOf(a.id), [...(topics.get(topicOf(a.id)) ?? []), a.language]);
    expect(topics.size).toBeGreaterThanOrEqual(25);
    for (const [topic, languages] of topics) expect([topic, languages.sort()]).toEqual([topic, ['en', 'fr']]);
    expect(articles.length).toBeGreaterThanOrEqual(50);
    for (const a of articles) {
      expect(a.id).toBe(`${topicOf(a.id)}-${a.language}`);
      expect(a).toMatchObject({ published: true, products: expect.arrayContaining(['cloud-identity-premium']) });
      expect(a.problemCategories.length).toBeGreaterThan(0);
    }
  });

  it('are articles of 80 to 200 words, in Markdown', () => {
    for (const a of articles) {
      const words = wordCount(a.body);
      expect([a.id, words >= 80 && words <= 200]).toEqual([a.id, true]);
    }
    expect(articles.filter((a) => /^## |^1\. |^- |\*\*/m.test(a.body)).length).toBe(articles.length);
  });

  it('answer every query of the labelled evaluation set: at least 30 per language, answered in their own language', () => {
    const ids = new Set(articles.map((a) => a.id));
    const queries = loadSearchEvalSet(EVAL_SET);
    for (const language of ARTICLE_LANGUAGES)
      expect(queries.filter((q) => q.language === language).length).toBeGreaterThanOrEqual(30);
    for (const q of queries)
      for (const answer of q.answers) {
        expect([q.query, answer, ids.has(answer)]).toEqual([q.query, answer, true]);
        expect(answer.endsWith(`-${q.language}`)).toBe(true);
      }
    expect(new Set(queries.map((q) => q.query)).size).toBe(queries.length);
  });
});

describe('loadHelpArticlesFile', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'help-articles-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (content: unknown) => {
    const path = join(dir, `${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const good = {
    id: 'a-en',
    language: 'en',
    title: 'A',
    body: 'Body.',
    products: ['cloud-identity-premium'],
    problemCategories: [],
    published: true,
  };

  it('reads the articles, normalised as CreateArticle normalises them', () =>
    expect(loadHelpArticlesFile(file({ articles: [{ ...good, id: ' A-EN ' }] }))).toEqual([good]));

  it.each<[string, unknown, RegExp]>([
    ['not JSON', '{', /invalid JSON/],
    ['not the expected shape', [good], /expected an object \{ "articles"/],
    ['an entry that is not an object', { articles: [good, 'x'] }, /articles\[1\]: expected an object/],
    ['an unknown field', { articles: [{ ...good, author: 'x' }] }, /articles\[0\] \("a-en"\): unknown field "author"/],
    ['a bad value', { articles: [{ ...good, language: 'de' }] }, /articles\[0\] \("a-en"\): Invalid language/],
    ['an id twice', { articles: [good, good] }, /articles\[1\] \("a-en"\): article id "a-en" is listed twice/],
  ])('refuses %s, naming the file and the entry', (_what, content, message) => {
    const path = file(content);
    expect(() => loadHelpArticlesFile(path)).toThrow(InvalidHelpArticlesFile);
    expect(() => loadHelpArticlesFile(path)).toThrow(message);
    expect(() => loadHelpArticlesFile(path)).toThrow(path);
  });

  it('refuses a file it cannot read', () =>
    expect(() => loadHelpArticlesFile(join(dir, 'missing.json'))).toThrow(/cannot read the file/));
});
