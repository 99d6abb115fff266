import { createHash } from 'node:crypto';
import request from 'supertest';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

/** the limit this app runs with (ATTACHMENT_MAX_BYTES), small enough to go past cheaply */
const MAX_BYTES = 64 * 1024;

const LOG = Buffer.from(
  '2026-03-02T09:01:12Z ERROR saml: invalid assertion for ana@acme.example\n' +
    '2026-03-02T09:01:13Z WARN  saml: clock skew 312 s\n',
);
/** a 1×1 PNG */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** R11: files uploaded to a case, named in an answer or a reply, downloaded through the case that holds them. */
describe('attachments: upload, reference, download', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  let caseId: string;
  const http = () => request(t.app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const upload = (token: string, files: [Buffer, string][], id = caseId) => {
    let req = http().post(`/v1/cases/${id}/attachments`).set(as(token));
    for (const [bytes, name] of files) req = req.attach('file', bytes, name);
    return req;
  };
  const download = (token: string, sha256: string, id = caseId) =>
    http()
      .get(`/v1/cases/${id}/attachments/${sha256}`)
      .set(as(token))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          // a refusal is a problem document: parsed, as supertest does for JSON
          done(null, /problem\+json/.test(String(res.headers['content-type'])) ? JSON.parse(bytes.toString()) : bytes);
        });
      });
  const eventsOf = async (id = caseId) =>
    (await http().get(`/v1/cases/${id}/events`).set(as(tok.auditor)).expect(200)).body.events as {
      type: string;
      data: Record<string, unknown>;
    }[];

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET, ATTACHMENT_MAX_BYTES: String(MAX_BYTES) });
    tok = await testTokens();
    caseId = (await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201)).body.id;
  });
  afterAll(() => t.close());

  it('stores a customer’s log file, names it in /info, and the agent downloads it with safe headers', async () => {
    const uploaded = await upload(tok.admin, [[LOG, 'sso.log']]).expect(201);
    const log = { name: 'sso.log', size: LOG.length, contentType: 'text/plain', sha256: sha256Of(LOG) };
    expect(uploaded.body).toEqual({ attachments: [log] });
    // the upload records nothing, and nobody can download what no event names
    expect((await eventsOf()).map((e) => e.type)).toEqual(['Opened', 'Routed']);
    expect((await download(tok.agent, log.sha256).expect(404)).body).toMatchObject({ code: 'ATTACHMENT.NOT_FOUND' });

    await http()
      .post(`/v1/cases/${caseId}/info`)
      .set(as(tok.admin))
      .send({ message: 'The SSO log.', attachments: [log] })
      .expect(200);
    expect((await eventsOf()).at(-1)).toMatchObject({ type: 'InfoProvided', data: { attachments: [log] } });

    const res = await download(tok.agent, log.sha256).expect(200);
    expect(res.body).toEqual(LOG);
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.headers['content-disposition']).toBe('attachment; filename=sso.log');
    expect(res.headers['content-length']).toBe(String(LOG.length));
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // the customer and the auditor too; the hash in capitals is the same file
    await download(tok.admin, log.sha256.toUpperCase()).expect(200);
    await download(tok.auditor, log.sha256).expect(200);
  });

  it('shows another organisation nothing: the case is unknown to them, to download or to upload to', async () => {
    const r = await download(tok.otherOrgAdmin, sha256Of(LOG)).expect(404);
    expect(r.body).toMatchObject({ code: 'CASE.NOT_FOUND' });
    expect((await upload(tok.otherOrgAdmin, [[LOG, 'x.log']]).expect(404)).body.code).toBe('CASE.NOT_FOUND');
    // an agent of another vendor neither (R4)
    expect((await download(tok.germanAgent, sha256Of(LOG)).expect(404)).body.code).toBe('CASE.NOT_FOUND');
  });

  it('answers 404 for a hash the case does not name, even when the bytes are stored (for another case)', async () => {
    const other = (await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201)).body.id;
    const png = (await upload(tok.admin, [[PNG, 'screen.png']], other).expect(201)).body.attachments[0];
    expect(png).toMatchObject({ contentType: 'image/png', sha256: sha256Of(PNG) });
    await http()
      .post(`/v1/cases/${other}/replies`)
      .set(as(tok.admin))
      .send({ message: 'Here is the screen.', attachments: [png] })
      .expect(200);
    await download(tok.agent, png.sha256, other).expect(200);
    for (const hash of [png.sha256, 'f'.repeat(64), 'not-a-hash', '..%2F..%2Fetc%2Fpasswd']) {
      expect((await download(tok.agent, hash).expect(404)).body.code).toBe('ATTACHMENT.NOT_FOUND');
    }
  });

  it('takes several files in one upload; a reply names them, under a name encoded safely', async () => {
    const name = 'écran final (1).png';
    const { attachments } = (
      await upload(tok.agent, [
        [PNG, name],
        [LOG, '../../etc/sso.log'],
      ]).expect(201)
    ).body;
    expect(attachments).toEqual([
      { name, size: PNG.length, contentType: 'image/png', sha256: sha256Of(PNG) },
      { name: 'sso.log', size: LOG.length, contentType: 'text/plain', sha256: sha256Of(LOG) },
    ]);
    await http()
      .post(`/v1/cases/${caseId}/replies`)
      .set(as(tok.admin))
      .send({ message: 'And a screenshot.', attachments: [attachments[0]] })
      .expect(200);
    expect((await eventsOf()).at(-1)).toMatchObject({
      type: 'CustomerReplied',
      data: { attachments: [attachments[0]] },
    });
    const res = await download(tok.supervisor, sha256Of(PNG)).expect(200);
    expect(res.body).toEqual(PNG);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="?cran final (1).png"; filename*=UTF-8''%C3%A9cran%20final%20%281%29.png`,
    );
  });

  it('refuses a reference to bytes not stored, or not as stored (409), and records nothing', async () => {
    const log = { name: 'sso.log', size: LOG.length, contentType: 'text/plain', sha256: sha256Of(LOG) };
    const before = (await eventsOf()).length;
    for (const [attachment, code] of [
      [{ ...log, sha256: 'e'.repeat(64) }, 'ATTACHMENT.NOT_STORED'],
      [{ ...log, size: LOG.length + 1 }, 'ATTACHMENT.MISMATCH'],
      [{ ...log, contentType: 'application/pdf' }, 'ATTACHMENT.MISMATCH'],
    ] as const) {
      for (const route of ['info', 'replies']) {
        const r = await http()
          .post(`/v1/cases/${caseId}/${route}`)
          .set(as(tok.admin))
          .send({ message: 'See the file.', attachments: [attachment] })
          .expect(409);
        expect([route, r.body.code]).toEqual([route, code]);
      }
    }
    expect(await eventsOf()).toHaveLength(before);
  });

  it('refuses a file over ATTACHMENT_MAX_BYTES (413) and a type not allowed (415), keeping nothing of either', async () => {
    const big = Buffer.alloc(MAX_BYTES + 1, 'a');
    const tooLarge = await upload(tok.admin, [[big, 'big.log']]).expect(413);
    expect(tooLarge.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(tooLarge.body).toMatchObject({ status: 413, code: 'ATTACHMENT.TOO_LARGE' });
    // exactly the limit is accepted
    await upload(tok.admin, [[Buffer.alloc(MAX_BYTES, 'a'), 'full.log']]).expect(201);

    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300)]);
    const refused = await upload(tok.admin, [[exe, 'notes.txt']]).expect(415);
    expect(refused.body).toMatchObject({ status: 415, code: 'ATTACHMENT.TYPE_NOT_ALLOWED' });

    for (const bytes of [big, exe]) {
      const r = await http()
        .post(`/v1/cases/${caseId}/info`)
        .set(as(tok.admin))
        .send({
          message: 'x',
          attachments: [{ name: 'x', size: bytes.length, contentType: 'text/plain', sha256: sha256Of(bytes) }],
        })
        .expect(409);
      expect(r.body.code).toBe('ATTACHMENT.NOT_STORED');
    }
  });

  it('reads multipart on the upload route only, and only multipart there', async () => {
    const json = await http()
      .post(`/v1/cases/${caseId}/attachments`)
      .set(as(tok.admin))
      .send({ file: 'x' })
      .expect(415);
    expect(json.body.code).toBe('HTTP.UNSUPPORTED_MEDIA_TYPE');
    const multipartElsewhere = await http()
      .post(`/v1/cases/${caseId}/replies`)
      .set(as(tok.admin))
      .field('message', 'hello')
      .expect(415);
    expect(multipartElsewhere.body.code).toBe('HTTP.UNSUPPORTED_MEDIA_TYPE');
    const noFile = await http()
      .post(`/v1/cases/${caseId}/attachments`)
      .set(as(tok.admin))
      .field('message', 'x')
      .expect(400);
    expect(noFile.body).toMatchObject({ code: 'HTTP.VALIDATION_FAILED', errors: [{ field: 'message' }] });
    const otherName = await http()
      .post(`/v1/cases/${caseId}/attachments`)
      .set(as(tok.admin))
      .attach('upload', LOG, 'sso.log')
      .expect(400);
    expect(otherName.body.errors).toEqual([expect.objectContaining({ field: 'upload' })]);
    // auditors read but never write; a customer admin without the Support privilege is told so
    expect((await upload(tok.auditor, [[LOG, 'sso.log']]).expect(403)).body.code).toBe('AUTH.READ_ONLY');
    expect((await upload(tok.customerAdmin, [[LOG, 'sso.log']]).expect(403)).body.code).toBe('AUTH.MISSING_PRIVILEGE');
  });

  it('puts the hashes in the audit export: the events carry them', async () => {
    const res = await http()
      .get('/v1/audit/export')
      .query({ from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' })
      .set(as(tok.auditor))
      .buffer(true)
      .parse((response, done) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => done(null, text));
      })
      .expect(200);
    const ours = (res.body as string)
      .trim()
      .split('\n')
      .map(
        (line) => JSON.parse(line) as { streamId: string; type: string; data: { attachments?: { sha256: string }[] } },
      )
      .filter((e) => e.streamId === `case-${caseId}` && e.data.attachments);
    expect(ours.map((e) => [e.type, e.data.attachments!.map((a) => a.sha256)])).toEqual([
      ['InfoProvided', [sha256Of(LOG)]],
      ['CustomerReplied', [sha256Of(PNG)]],
    ]);
  });
});
