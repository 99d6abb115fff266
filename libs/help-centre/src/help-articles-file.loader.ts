import { readFileSync } from 'node:fs';
import { parseArticle, type Article } from '@app/case-domain';

/**
 * A starting help-centre articles file (`config/help-articles.json`) that cannot be used.
 * One line, `<file>: <fault>`; a fault in an entry names it (`articles[3] ("sso-saml-errors-en")`).
 */
export class InvalidHelpArticlesFile extends Error {
  readonly code = 'HELP_CENTRE.INVALID_ARTICLES_FILE';
  /** a bad file stays bad: retrying does not help */
  readonly retriable = false;

  constructor(
    readonly file: string,
    readonly fault: string,
  ) {
    super(`Invalid help articles file ${file}: ${fault}`.replace(/\s*[\r\n]+\s*/g, ' ').trim());
    this.name = 'InvalidHelpArticlesFile';
  }
}

const FIELDS = ['id', 'language', 'title', 'body', 'products', 'problemCategories', 'published'];
const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Reads and validates the starting articles: `{ "articles": [{ id, language, title, body,
 * products, problemCategories, published }, …] }`, each checked as `CreateArticle` checks it
 * (`parseArticle`), no id twice. Synchronous: it runs once at start. Any fault throws
 * {@link InvalidHelpArticlesFile}; the first bad entry stops the load.
 */
export const loadHelpArticlesFile = (file: string): Article[] => {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'invalid JSON' : 'cannot read the file';
    throw new InvalidHelpArticlesFile(file, `${reason}: ${describe(error)}`);
  }
  const list = (raw as { articles?: unknown } | null)?.articles;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !Array.isArray(list))
    throw new InvalidHelpArticlesFile(file, 'expected an object { "articles": [ … ] }');
  const seen = new Set<string>();
  return list.map((entry: unknown, index) => {
    const id = (entry as { id?: unknown } | null)?.id;
    const where = `articles[${index}]${typeof id === 'string' ? ` (${JSON.stringify(id)})` : ''}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new InvalidHelpArticlesFile(file, `${where}: expected an object with ${FIELDS.join(', ')}`);
    const unknown = Object.keys(entry).find((k) => !FIELDS.includes(k));
    if (unknown !== undefined)
      throw new InvalidHelpArticlesFile(file, `${where}: unknown field ${JSON.stringify(unknown)}`);
    let article: Article;
    try {
      article = parseArticle(entry);
    } catch (error) {
      throw new InvalidHelpArticlesFile(file, `${where}: ${describe(error)}`);
    }
    if (seen.has(article.id))
      throw new InvalidHelpArticlesFile(file, `${where}: article id "${article.id}" is listed twice`);
    seen.add(article.id);
    return article;
  });
};
