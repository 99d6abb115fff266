import { ArticleAlreadyExists, type Actor, type Article } from '@app/case-domain';
import { ChangeArticle, type CommandDoor } from '@app/commands';

/** The actor of the starting articles seeded at start. */
export const HELP_CENTRE_SEEDER: Actor = Object.freeze({ id: 'system:help-centre-seed', role: 'system' });

export interface SeedArticlesOptions {
  /** articles seeded side by side (each is its own stream); default 4 */
  readonly concurrency?: number;
}

/**
 * Creates one article through the door unless the log has it; true when this call created it.
 * `CreateArticle` is nothing when the article stands as given, and refused (ARTICLE.ALREADY_EXISTS)
 * when it stands otherwise (an editor revised it): either way the log's article stays.
 */
const seedOne = async (door: CommandDoor, article: Article): Promise<boolean> => {
  try {
    const { changed } = await door.execute(
      new ChangeArticle({
        command: { type: 'CreateArticle', article, actor: HELP_CENTRE_SEEDER },
        actor: HELP_CENTRE_SEEDER,
      }),
    );
    return changed;
  } catch (error) {
    if (error instanceof ArticleAlreadyExists) return false;
    throw error;
  }
};

/**
 * Creates each of `articles` (the starting articles file) whose stream the log does not
 * have yet, and only those: an article the log has, seeded before or created and revised
 * by an editor, keeps what the log says, whatever the file says now. Through the command
 * door (`ChangeArticle`), so safe when several processes start together: the one that loses
 * the race decides again on the stored article and writes nothing. Resolves to the number of articles this
 * call created.
 */
export const seedMissingArticles = async (
  door: CommandDoor,
  articles: readonly Article[],
  { concurrency = 4 }: SeedArticlesOptions = {},
): Promise<number> => {
  let next = 0;
  let seeded = 0;
  const worker = async () => {
    while (next < articles.length) {
      const article = articles[next++];
      if (await seedOne(door, article)) seeded += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, articles.length)) }, worker));
  return seeded;
};
