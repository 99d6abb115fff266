import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

const as = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Two starting articles (HELP_ARTICLES_FILE): the harness seeds none, this file a small set of its own. */
const starting = [
  {
    id: 'sso-certificate-expired-en',
    language: 'en',
    title: 'SSO stops working when the SAML signing certificate expires',
    body: 'When the identity provider’s SAML signing certificate expires, every SSO sign-in fails with an invalid signature. Upload the new certificate in the Admin console under Security, SSO.',
    products: ['cloud-identity'],
    problemCategories: ['sso'],
    published: true,
  },
  {
    id: 'sso-certificate-expired-fr',
    language: 'fr',
    title: 'L’authentification unique échoue quand le certificat SAML expire',
    body: 'Quand le certificat de signature SAML du fournisseur d’identité expire, chaque connexion SSO échoue avec une signature invalide. Importez le nouveau certificat dans la console d’administration, Sécurité, SSO.',
    products: ['cloud-identity'],
    problemCategories: ['sso'],
    published: true,
  },
];

const article = {
  id: 'printer-queue-stuck-en',
  language: 'en',
  title: 'Print jobs stay stuck in the cloud printer queue',
  body: 'If print jobs stay queued, restart the printer connector, then clear the stuck jobs from the Admin console.',
  products: ['cloud-identity'],
  problemCategories: ['devices'],
  published: true,
};

/**
 * The help-centre articles over HTTP (R5): the starting articles seeded at start, a
 * supervisor creating and revising one (If-Match), the search reading its own write
 * (`?after=`), unpublished articles hidden, and the refusals. One app for the file.
 */
describe('the help-centre articles: /v1/help/articles (R5)', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  let dir: string;
  const http = () => request(t.app.getHttpServer());
  const search = (query: string, token = tok.admin) => http().get(`/v1/help/articles?${query}`).set(as(token));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'help-articles-e2e-'));
    const file = join(dir, 'articles.json');
    writeFileSync(file, JSON.stringify({ articles: starting }));
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET, HELP_ARTICLES_FILE: file });
    tok = await testTokens();
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds the starting articles at start: read from their streams, and searched in the reader’s language first', async () => {
    const got = await http().get('/v1/help/articles/sso-certificate-expired-fr').set(as(tok.agent)).expect(200);
    expect(got.headers.etag).toBe('W/"1"');
    expect(got.body).toEqual({ ...starting[1], version: 1, revisedAt: '2026-03-02T09:00:00.000Z' });

    // the seed went through the log; the projection may trail it a moment
    let found: { body: { items: { articleId: string }[] } } = { body: { items: [] } };
    for (let i = 0; i < 100 && found.body.items.length < 2; i++) {
      found = await search('q=certificat%20SAML%20expire&language=fr').expect(200);
      if (found.body.items.length < 2) await new Promise((r) => setTimeout(r, 50));
    }
    expect(found.body.items.map((h) => h.articleId)).toEqual([
      'sso-certificate-expired-fr',
      'sso-certificate-expired-en',
    ]);
    expect(found.body.items[0]).toEqual({
      articleId: 'sso-certificate-expired-fr',
      title: starting[1].title,
      url: '/v1/help/articles/sso-certificate-expired-fr',
      score: expect.any(Number),
      language: 'fr',
      version: 1,
    });
    const english = await search('q=saml%20certificate%20expired&language=en&limit=1').expect(200);
    expect(english.body.items.map((h: { articleId: string }) => h.articleId)).toEqual(['sso-certificate-expired-en']);
  });

  it('a supervisor creates an article (201, Location, ETag, X-Log-Position); a search after that position finds it', async () => {
    const created = await http().post('/v1/help/articles').set(as(tok.supervisor)).send(article).expect(201);
    expect(created.headers.location).toBe('/v1/help/articles/printer-queue-stuck-en');
    expect(created.headers.etag).toBe('W/"1"');
    expect(created.headers['x-log-position']).toMatch(/^\d+$/);
    expect(created.body).toEqual({ ...article, version: 1, revisedAt: '2026-03-02T09:00:00.000Z' });

    const found = await search(`q=printer%20stuck&language=en&after=${created.headers['x-log-position']}`).expect(200);
    expect(found.body.caughtUp).toBe(true);
    expect(found.body.items[0]).toMatchObject({ articleId: 'printer-queue-stuck-en', version: 1, language: 'en' });
    // the product filter
    const other = await search('q=printer%20stuck&language=en&product=another-product').expect(200);
    expect(other.body.items).toEqual([]);

    // the same article again: nothing written (200, no position); other contents under its id: 409
    const again = await http().post('/v1/help/articles').set(as(tok.supervisor)).send(article).expect(200);
    expect(again.headers['x-log-position']).toBeUndefined();
    expect(again.headers.etag).toBe('W/"1"');
    const taken = await http()
      .post('/v1/help/articles')
      .set(as(tok.supervisor))
      .send({ ...article, title: 'Another title' })
      .expect(409);
    expect(taken.body).toMatchObject({ code: 'ARTICLE.ALREADY_EXISTS', status: 409 });
    expect(taken.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('revises with If-Match (200, the next ETag); a stale If-Match is a 412; ?version= reads a revision back', async () => {
    t.clock.advance(60_000);
    const { id, ...content } = article;
    const revised = await http()
      .put(`/v1/help/articles/${id}`)
      .set(as(tok.supervisor))
      .set('If-Match', 'W/"1"')
      .send({ ...content, body: `${content.body} Then print a test page.` })
      .expect(200);
    expect(revised.headers.etag).toBe('W/"2"');
    expect(revised.headers['x-log-position']).toMatch(/^\d+$/);
    expect(revised.body).toMatchObject({ id, version: 2, revisedAt: '2026-03-02T09:01:00.000Z' });

    const stale = await http()
      .put(`/v1/help/articles/${id}`)
      .set(as(tok.supervisor))
      .set('If-Match', 'W/"1"')
      .send({ ...content, id, title: 'Stale' })
      .expect(412);
    expect(stale.body.code).toBe('CASE.STALE_VERSION');

    const now = await http().get(`/v1/help/articles/${id}`).set(as(tok.admin)).expect(200);
    expect(now.headers.etag).toBe('W/"2"');
    expect(now.body.body).toMatch(/test page/);
    const first = await http().get(`/v1/help/articles/${id}?version=1`).set(as(tok.admin)).expect(200);
    expect(first.body).toEqual({ ...article, version: 1, revisedAt: '2026-03-02T09:00:00.000Z' });
    expect(first.headers.etag).toBeUndefined();
    const none = await http().get(`/v1/help/articles/${id}?version=9`).set(as(tok.admin)).expect(404);
    expect(none.body.code).toBe('ARTICLE.NOT_FOUND');

    // a translation is another article; the body's id, if any, is the path's
    const language = await http()
      .put(`/v1/help/articles/${id}`)
      .set(as(tok.supervisor))
      .send({ ...content, language: 'fr' })
      .expect(409);
    expect(language.body.code).toBe('ARTICLE.LANGUAGE_CHANGED');
    const otherId = await http()
      .put(`/v1/help/articles/${id}`)
      .set(as(tok.supervisor))
      .send({ ...content, id: 'another-article' })
      .expect(400);
    expect(otherId.body.code).toBe('COMMAND.INVALID');
  });

  it('an unpublished article is out of the search, and a 404 to all but supervisors', async () => {
    const { id, ...content } = article;
    const hidden = await http()
      .put(`/v1/help/articles/${id}`)
      .set(as(tok.supervisor))
      .send({ ...content, published: false })
      .expect(200);
    const found = await search(`q=printer%20stuck&language=en&after=${hidden.headers['x-log-position']}`).expect(200);
    expect(found.body).toEqual({ items: [], caughtUp: true });
    for (const token of [tok.admin, tok.agent, tok.auditor]) {
      const r = await http().get(`/v1/help/articles/${id}`).set(as(token)).expect(404);
      expect(r.body.code).toBe('ARTICLE.NOT_FOUND');
    }
    const editor = await http().get(`/v1/help/articles/${id}`).set(as(tok.supervisor)).expect(200);
    expect(editor.body).toMatchObject({ published: false, version: 3 });
  });

  it('refuses: unknown articles (404), writes by anyone but supervisors (403), bad searches (400)', async () => {
    const unknown = await http().get('/v1/help/articles/never-written').set(as(tok.admin)).expect(404);
    expect(unknown.body.code).toBe('ARTICLE.NOT_FOUND');
    const { id: _id, ...content } = article;
    const revise = await http()
      .put('/v1/help/articles/never-written')
      .set(as(tok.supervisor))
      .send(content)
      .expect(404);
    expect(revise.body.code).toBe('ARTICLE.NOT_FOUND');

    for (const token of [tok.agent, tok.admin, tok.auditor]) {
      await http()
        .post('/v1/help/articles')
        .set(as(token))
        .send({ ...article, id: 'agent-article-en' })
        .expect(403);
    }
    await http().put(`/v1/help/articles/${article.id}`).set(as(tok.agent)).send(content).expect(403);
    await search('q=password&language=en', tok.customerAdmin).expect(403);

    for (const query of [
      'language=en',
      'q=&language=en',
      'q=password',
      'q=password&language=de',
      'q=password&language=en&limit=51',
      'q=password&language=en&limit=0',
    ]) {
      const r = await search(query).expect(400);
      expect(r.body.code).toBe('HTTP.VALIDATION_FAILED');
    }
    const badBody = await http()
      .post('/v1/help/articles')
      .set(as(tok.supervisor))
      .send({ ...article, id: 'too-long-en', title: 'x'.repeat(201), products: [] })
      .expect(400);
    expect(badBody.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['products', 'title']);
  });
});
