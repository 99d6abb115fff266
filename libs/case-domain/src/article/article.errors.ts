import { DomainRuleViolation, type ViolationKind } from '../shared/domain-rule-violation';

export abstract class ArticleRuleViolation extends DomainRuleViolation {
  readonly kind: ViolationKind = 'conflict';

  protected constructor(
    readonly articleId: string,
    message: string,
  ) {
    super(message);
  }
}

/** Revising an article never created. */
export class ArticleNotFound extends ArticleRuleViolation {
  readonly code = 'ARTICLE.NOT_FOUND';
  override readonly kind: ViolationKind = 'not-found';
  constructor(articleId: string) {
    super(articleId, `Article ${articleId} does not exist.`);
  }
}

/** Creating an id that exists with other contents (the same contents again change nothing). */
export class ArticleAlreadyExists extends ArticleRuleViolation {
  readonly code = 'ARTICLE.ALREADY_EXISTS';
  constructor(articleId: string, version: number) {
    super(
      articleId,
      `Article ${articleId} already exists (revision ${version}) with other contents; revise it instead.`,
    );
  }
}

/** A translation is another article: an article keeps the language it was created in. */
export class ArticleLanguageChanged extends ArticleRuleViolation {
  readonly code = 'ARTICLE.LANGUAGE_CHANGED';
  constructor(articleId: string, from: string, to: string) {
    super(
      articleId,
      `Article ${articleId} is in ${from}; a revision cannot make it ${to}. Create the ${to} translation as another article.`,
    );
  }
}
