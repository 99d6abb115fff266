import { deciderSpec } from '@app/testing';
import { foldEvents } from '../shared/decider';
import { InvalidCommand } from '../shared/domain-rule-violation';
import { articleAtRevision, articleDecider } from './article.decider';
import { ArticleAlreadyExists, ArticleLanguageChanged, ArticleNotFound } from './article.errors';
import {
  articleIdFromStreamId,
  toArticleStreamId,
  type Article,
  type ArticleCommand,
  type ArticleEvent,
  type ArticleInput,
} from './article.model';

const given = deciderSpec(articleDecider);
const AT = '2026-03-02T09:30:00.000Z';
const editor = { id: 'sam', role: 'supervisor' };
const article: Article = {
  id: 'sso-saml-errors-en',
  language: 'en',
  title: 'Troubleshoot SAML sign-in errors',
  body: 'Check the **ACS URL** and the certificate.',
  products: ['cloud-identity-premium'],
  problemCategories: ['sso', 'sign-in'],
  published: true,
};
const create = (a: ArticleInput = article): ArticleCommand => ({ type: 'CreateArticle', article: a, actor: editor });
const revise = (a: ArticleInput): ArticleCommand => ({ type: 'ReviseArticle', article: a, actor: editor });
const created: ArticleEvent = {
  type: 'ArticleCreated',
  schemaVersion: 1,
  data: { ...article, version: 1, at: AT, byId: 'sam' },
};
const revised = (a: Article, version: number): ArticleEvent => ({
  type: 'ArticleRevised',
  schemaVersion: 1,
  data: { ...a, version, at: AT, byId: 'sam' },
});

describe('help-centre articles (R5)', () => {
  it('creates an article as revision 1, normalising what it was given', () =>
    given([])
      .when(
        create({
          ...article,
          id: ' SSO-SAML-Errors-EN ',
          title: '  Troubleshoot SAML sign-in errors ',
          body: 'Check the **ACS URL** and the certificate.\r\n',
          products: ['Cloud-Identity-Premium', 'cloud-identity-premium'],
          problemCategories: ['SSO', 'sign-in', 'sso'],
        }),
      )
      .then([created]));

  it('does nothing when the same article is created again (seeding twice is safe)', () =>
    given([created]).when(create()).thenNothingHappened());

  it('refuses to create an existing id with other contents', () =>
    given([created])
      .when(create({ ...article, title: 'Other' }))
      .thenThrows(ArticleAlreadyExists, (e) =>
        expect(e).toMatchObject({ code: 'ARTICLE.ALREADY_EXISTS', kind: 'conflict' }),
      ));

  it('records each revision with the whole article and the next revision number', () => {
    const v2 = { ...article, body: 'Check the ACS URL, the entity ID and the certificate.' };
    given([created])
      .when(revise(v2))
      .then([revised(v2, 2)]);
    const v3 = { ...v2, published: false };
    given([created, revised(v2, 2)])
      .when(revise(v3))
      .then([revised(v3, 3)]);
  });

  it('does nothing when a revision changes nothing', () =>
    given([created]).when(revise(article)).thenNothingHappened());

  it('refuses to revise an article never created, or to change its language', () => {
    given([])
      .when(revise(article))
      .thenThrows(ArticleNotFound, (e) => expect(e.kind).toBe('not-found'));
    given([created])
      .when(revise({ ...article, language: 'fr' }))
      .thenThrows(ArticleLanguageChanged);
  });

  it.each<[string, ArticleInput]>([
    ['id', { ...article, id: 'SSO errors!' }],
    ['id', { ...article, id: '-leading-hyphen' }],
    ['language', { ...article, language: 'de' }],
    ['title', { ...article, title: ' ' }],
    ['title', { ...article, title: 'two\nlines' }],
    ['title', { ...article, title: 'x'.repeat(201) }],
    ['body', { ...article, body: '' }],
    ['body', { ...article, body: 'x'.repeat(20_001) }],
    ['products', { ...article, products: [] }],
    ['products', { ...article, products: 'cloud-identity' }],
    ['problemCategories', { ...article, problemCategories: ['Single Sign-On'] }],
    ['published', { ...article, published: 'yes' }],
  ])('refuses a bad %s', (field, input) =>
    given([])
      .when(create(input))
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe(field)),
  );

  it('refuses a command that names another article than the stream’s', () =>
    given([created])
      .when(revise({ ...article, id: 'another-article' }))
      .thenThrows(InvalidCommand, (e) => expect(e.field).toBe('id')));

  it('replays the article as any revision left it, and the latest as the state', () => {
    const v2 = { ...article, title: 'Fix SAML sign-in errors' };
    const history = [created, revised(v2, 2)];
    expect(articleAtRevision(history, 1)).toEqual({ ...article, version: 1 });
    expect(articleAtRevision(history, 2)).toEqual({ ...v2, version: 2 });
    expect(articleAtRevision(history, 3)).toBeNull();
    expect(foldEvents(articleDecider, history)).toEqual({ article: { ...v2, version: 2 }, version: 2 });
  });

  it('lives in its own stream, article-<id>', () => {
    expect(toArticleStreamId('sso-saml-errors-en')).toBe('article-sso-saml-errors-en');
    expect(articleIdFromStreamId('article-sso-saml-errors-en')).toBe('sso-saml-errors-en');
    expect(articleIdFromStreamId('case-1')).toBeNull();
    expect(() => toArticleStreamId('')).toThrow(InvalidCommand);
  });
});
