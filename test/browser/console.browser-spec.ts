/**
 * The web console in Debian's Chromium against the real API (issue 15): one API process and
 * one browser for the file; each person in a tab of their own (the console keeps its token
 * in the tab's sessionStorage). Every step waits for what the screen shows (Playwright's
 * locators), never for a duration; axe-core checks every screen; the screenshots go to
 * SCREENSHOTS_DIR (default test/browser/screenshots/, gitignored).
 */
import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { BrowserContext, Page } from 'playwright-core';
import { waitFor } from '../../libs/testing/src/wait-for';
import {
  accessibilityProblems,
  describeWithChromium,
  launchChromium,
  screenshot,
  buildApiAndConsole,
  startApi,
  type Build,
  type RunningApi,
} from './console-harness';

const SUBJECT = 'SSO login fails for the sales team';

describeWithChromium('the web console in Chromium', () => {
  let build: Build;
  let api: RunningApi;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let context: BrowserContext;
  let agent: Page;
  let caseId: string;
  /** a second case, opened in English and never claimed: it waits in its queue */
  let waiting: { id: string; queue: string };

  /** the customer's support admin, over HTTP as an integration would: a token from the console's sign-in */
  let customerToken: string;
  const asCustomer = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${api.url}${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${customerToken}`,
        ...(init.body && typeof init.body === 'string' ? { 'Content-Type': 'application/json' } : {}),
      },
    });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };

  const expectAccessible = async (page: Page) => expect(await accessibilityProblems(page)).toEqual([]);

  const signIn = async (page: Page, role: string, fill: Record<string, string> = {}) => {
    await page.goto(`${api.url}/console/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Role').selectOption(role);
    for (const [label, value] of Object.entries(fill)) await page.getByLabel(label, { exact: true }).fill(value);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/^Signed in as/).waitFor();
  };

  beforeAll(async () => {
    // SURVEY_DELAY=0: the survey e-mail goes out with the resolution (to DATA_DIR/outbox)
    build = await buildApiAndConsole();
    api = await startApi(build, { SURVEY_DELAY: '0' });
    browser = await launchChromium();
    context = browser.context;
    const res = await fetch(`${api.url}/v1/console/sign-in`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        role: 'support-admin',
        email: 'ana@acme.example',
        org: 'acme.example',
        name: 'Ana Costa',
      }),
    });
    customerToken = ((await res.json()) as { token: string }).token;
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await build?.remove();
  });

  it('signs an agent in locally; the sign-in and the queues are accessible, in English and French', async () => {
    agent = context.pages()[0] ?? (await context.newPage());
    await agent.goto(`${api.url}/console/`);
    await agent.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectAccessible(agent);
    await screenshot(agent, 'sign-in');
    await signIn(agent, 'agent');
    await agent.getByRole('heading', { name: 'My queues' }).waitFor();
    await agent.locator('[data-live="on"]').waitFor();
    await expectAccessible(agent);
    await agent.getByRole('button', { name: 'Français' }).click();
    await agent.getByRole('heading', { name: 'Mes files' }).waitFor();
    await agent.getByRole('button', { name: 'English' }).click();
    await agent.getByRole('heading', { name: 'My queues' }).waitFor();
  });

  it('shows a case in the queue live when a customer opens it over HTTP, and the agent claims it', async () => {
    await agent.getByRole('link', { name: 'fr-P1' }).click();
    await agent.getByRole('heading', { name: 'Queue fr-P1' }).waitFor();
    await agent.getByText('No case is waiting in this queue.').waitFor();
    const opened = await asCustomer('/v1/cases', {
      method: 'POST',
      body: JSON.stringify({
        subject: SUBJECT,
        description: 'Nobody in sales can sign in since 9:00.',
        product: 'cloud-identity',
        language: 'fr',
        channel: 'email',
        impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: true },
        workaround: 'none',
      }),
    });
    caseId = opened.id as string;
    // no reload: the row comes from the live stream's event, then the queue read with ?after=
    const row = agent.locator(`tr[data-case="${caseId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(SUBJECT);
    expect(await row.locator('time').textContent()).toMatch(/left|overdue/);
    await expectAccessible(agent);
    await screenshot(agent, 'agent-queue');
    await row.getByRole('button', { name: `Claim: ${SUBJECT}` }).click();
    await agent.getByRole('heading', { name: `Case: ${SUBJECT}` }).waitFor();
    await agent.locator('[data-type="AgentAssigned"]').waitFor();
  });

  it('requests the logs, sees the customer’s answer with its file arrive live, and resolves the case', async () => {
    const info = agent.locator('form[aria-labelledby="info-title"]');
    await info.getByLabel('Log files').check();
    await info.getByLabel('Message', { exact: true }).fill('Please send the SAML trace.');
    await info.getByRole('button', { name: 'Request information' }).click();
    await agent.locator('[data-type="InfoRequested"]').waitFor();
    await agent.locator('[data-status="awaiting-customer"]').waitFor();

    // the customer uploads the log, then names it in the answer (over HTTP)
    const form = new FormData();
    form.append(
      'file',
      new Blob(['2026-03-02T09:01:12Z ERROR saml: invalid assertion for ana@acme.example\n'], { type: 'text/plain' }),
      'sso.log',
    );
    const uploaded = await asCustomer(`/v1/cases/${caseId}/attachments`, { method: 'POST', body: form });
    await asCustomer(`/v1/cases/${caseId}/info`, {
      method: 'POST',
      body: JSON.stringify({ message: 'Trace attached.', attachments: uploaded.attachments }),
    });
    const answer = agent.locator('[data-type="InfoProvided"]');
    await answer.getByRole('button', { name: 'Download sso.log' }).waitFor();
    expect(await answer.textContent()).toContain('Trace attached.');

    const note = agent.locator('form[aria-labelledby="note-title"]');
    await note.getByLabel('Message', { exact: true }).fill('Their IdP still signs with SHA-1.');
    await note.getByRole('button', { name: 'Internal note' }).click();
    await agent.locator('[data-type="InternalNoteAdded"]').getByText('Internal note (staff only)').waitFor();

    // a refusal shows the API's sentence: an outage needs a linked incident (R12)
    const resolve = agent.locator('form[aria-labelledby="resolve-title"]');
    await resolve.getByLabel('Outcome').selectOption('outage');
    await resolve.getByLabel('Summary').fill('The certificate rotation was rolled back.');
    await resolve.getByRole('button', { name: 'Resolve' }).click();
    const refusal = resolve.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/incident/i);
    await expectAccessible(agent);
    await screenshot(agent, 'agent-case');
    await resolve.getByLabel('Outcome').selectOption('solved');
    await resolve.getByLabel('Summary').fill('The certificate rotation was rolled back.');
    await resolve.getByRole('button', { name: 'Resolve' }).click();
    await agent.locator('[data-status="resolved"]').waitFor();
    await agent.locator('[data-type="Resolved"]').waitFor();
  });

  it('shows a supervisor the first-response chart with the case counted, the deflection rate with an intake an article solved, and the vendors on the follow-the-sun strip', async () => {
    // the customer's admin asks the help assistant, and the first article it suggests solves it (R5)
    const intake = await asCustomer('/v1/intakes', {
      method: 'POST',
      body: JSON.stringify({
        description: 'Users cannot sign in with SAML single sign-on: invalid assertion',
        product: 'cloud-identity-premium',
        language: 'en',
      }),
    });
    const suggestions = intake.suggestions as Array<{ articleId: string }>;
    expect(suggestions.length).toBeGreaterThan(0);
    await asCustomer(`/v1/intakes/${intake.id as string}/deflection`, {
      method: 'POST',
      body: JSON.stringify({ articleId: suggestions[0].articleId }),
    });
    const supervisor = await context.newPage();
    await signIn(supervisor, 'supervisor');
    // one intake in the range, deflected: the figure over the period, the bar of its product
    const deflection = supervisor.locator('section[data-report="deflection"]');
    await deflection.locator('[data-figure="deflection-rate"]', { hasText: '100 % (1 of 1 intakes' }).waitFor();
    await deflection.locator('svg text', { hasText: 'cloud-identity-premium (1)' }).waitFor();
    await deflection.getByRole('button', { name: /^Download CSV/ }).waitFor();
    const report = supervisor.locator('section[data-report="first-response-time"]');
    // the bar's label names the vendor and, in brackets, the responses counted
    await report.locator('svg text', { hasText: 'north-desk (1)' }).waitFor();
    await report.locator('summary').click();
    const row = report.locator('tbody tr', { hasText: 'north-desk' });
    await row.waitFor();
    // vendor, responses, median, p90, mean: one response counted for the vendor
    expect((await row.locator('td').allTextContents())[1]).toBe('1');
    await report.locator('summary').click();
    // the vendors at work now, from GET /v1/vendors
    await supervisor.locator('[data-vendor="north-desk"]').waitFor();
    // the follow-the-sun strip (GET /v1/calendars): a row per vendor, a "now" marker, and a
    // vendor's working time starting at now exactly when GET /v1/vendors says it is at work
    const strip = supervisor.locator('figure.strip');
    await strip.locator('line[data-now]').waitFor({ state: 'attached' }); // a vertical line has no width: not "visible"
    const vendorIds = await supervisor
      .locator('[data-vendor]')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-vendor'), e.classList.contains('at-work')]));
    expect(vendorIds.length).toBeGreaterThan(0);
    const from = Date.parse((await strip.getAttribute('data-from'))!);
    for (const [id, atWork] of vendorIds) {
      expect(await strip.locator(`[data-strip-row="${id}"]`).getAttribute('data-working-now')).toBe(String(atWork));
      const bars = await strip
        .locator(`[data-strip-vendor="${id}"] rect.work`)
        .evaluateAll((els) => els.map((e) => [e.getAttribute('data-start')!, e.getAttribute('data-end')!]));
      for (const [start, end] of bars) {
        expect(Date.parse(start)).toBeGreaterThanOrEqual(from);
        expect(Date.parse(end)).toBeLessThanOrEqual(from + 86_400_000);
        expect(Date.parse(end)).toBeGreaterThan(Date.parse(start));
      }
      if (atWork) expect(bars[0]?.[0] && Date.parse(bars[0][0])).toBe(from);
    }
    await expectAccessible(supervisor);
    await screenshot(supervisor, 'supervisor-dashboard');
    await supervisor.close();
  });

  it('lets a supervisor declare an incident, shows the API’s refusal of an end before its start, links a case to it from the case page and resolves it', async () => {
    const other = await asCustomer('/v1/cases', {
      method: 'POST',
      body: JSON.stringify({
        subject: 'Directory sync stopped',
        description: 'No new user has appeared since this morning.',
        product: 'cloud-identity',
        language: 'en',
        channel: 'email',
        impact: { serviceState: 'not-as-expected', scope: 'several-users', collaborationHarmed: false },
        workaround: 'none',
      }),
    });
    const otherId = other.id as string;
    waiting = { id: otherId, queue: `en-${other.priority as string}` };
    const supervisor = await context.newPage();
    await signIn(supervisor, 'supervisor');
    await supervisor.getByRole('link', { name: 'Incidents' }).click();
    await supervisor.getByRole('heading', { name: 'Incidents', level: 1 }).waitFor();
    await supervisor.getByText('No incident has been declared.').waitFor();
    await expectAccessible(supervisor);
    await supervisor.getByLabel('Title').fill('SSO outage in EMEA');
    await supervisor.getByLabel('Services (comma-separated)').fill('sso, directory');
    await supervisor.getByRole('button', { name: 'Declare an incident' }).click();
    const row = supervisor.locator('tr[data-status="ongoing"]', { hasText: 'SSO outage in EMEA' });
    await row.waitFor();
    const incidentId = await row.getAttribute('data-incident');
    // an end before its start: the API's sentence (INCIDENT.ENDS_BEFORE_START)
    await row.getByLabel('Ended').fill('2020-01-01T00:00');
    await row.getByRole('button', { name: 'Resolve the incident' }).click();
    const refusal = row.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(
      new RegExp(`^Incident ${incidentId} cannot end at \\S+, before it started at \\S+\\.$`),
    );
    await expectAccessible(supervisor);
    await screenshot(supervisor, 'supervisor-incidents');

    // the case page: link the other case to the ongoing incident
    await supervisor.goto(`${api.url}/console/mine/${otherId}`);
    await supervisor.getByRole('heading', { name: 'Case: Directory sync stopped' }).waitFor();
    const link = supervisor.locator('form[aria-labelledby="incident-title"]');
    await link.getByLabel('Incident').selectOption(incidentId!);
    await link.getByRole('button', { name: 'Link to an incident' }).click();
    await supervisor.locator('[data-type="LinkedToIncident"]').waitFor();
    await supervisor.getByText(incidentId!).first().waitFor();

    // resolved now (the form's default): the row says so
    await supervisor.getByRole('link', { name: 'Incidents' }).click();
    const ongoing = supervisor.locator(`tr[data-incident="${incidentId}"]`);
    await ongoing.getByRole('button', { name: 'Resolve the incident' }).click();
    await supervisor.locator(`tr[data-incident="${incidentId}"][data-status="resolved"]`).waitFor();
    await supervisor.close();
  });

  it('lets an auditor move the slider back to the case as it was opened, verify the chain, and see a queue as it stood 24 hours ago and now', async () => {
    const auditor = await context.newPage();
    await signIn(auditor, 'auditor');
    await auditor.getByLabel('Choose a case').selectOption(caseId);
    await auditor.locator('[data-status="resolved"]').waitFor();
    const slider = auditor.getByLabel('Moment');
    await slider.focus();
    await slider.press('Home'); // the keyboard moves it: the first moment, the opening
    await auditor.locator('[data-status="open"]').waitFor();
    await auditor.getByRole('button', { name: /Verify the hash chain/ }).click();
    await auditor.locator('[data-chain="ok"]').waitFor();
    await expectAccessible(auditor);
    await screenshot(auditor, 'auditor-as-of');
    // a queue as it stood: now, the case waiting in it; 24 hours ago, before it was opened, empty
    await auditor.getByLabel('Choose a queue').selectOption(waiting.queue);
    await auditor.locator(`[data-queue-as-of] tr[data-case="${waiting.id}"]`).waitFor();
    const when = auditor.getByLabel('When (last 24 hours)');
    await when.focus();
    await when.press('Home');
    await auditor.locator('[data-queue-as-of]', { hasText: 'No case was waiting in this queue then.' }).waitFor();
    expect(await auditor.locator(`tr[data-case="${waiting.id}"]`).count()).toBe(0);
    await when.press('End');
    await auditor.locator(`[data-queue-as-of] tr[data-case="${waiting.id}"]`).waitFor();
    await expectAccessible(auditor);
    await screenshot(auditor, 'auditor-queue-as-of');
    await auditor.close();
  });

  it('shows the customer their case without the internal note, and shows the refusal of their credit request', async () => {
    const customer = await context.newPage();
    await signIn(customer, 'support-admin');
    await customer.getByRole('link', { name: SUBJECT }).click();
    await customer.locator('[data-type="InfoProvided"]').waitFor();
    expect(await customer.locator('[data-type="InternalNoteAdded"]').count()).toBe(0);
    expect(await customer.getByText('Their IdP still signs with SHA-1.').count()).toBe(0);
    // an action of theirs through the page: a service credit request, which R14 refuses for a
    // case linked to no incident; the page shows the API's sentence
    const credit = customer.locator('form[aria-labelledby="credit-title"]');
    await credit.getByLabel('Reason').fill('Sales lost a morning.');
    await credit.getByRole('button', { name: 'Request a service credit' }).click();
    const refusal = credit.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(
      /^Case [0-9a-f-]{36} is not linked to a recorded incident, so you cannot .* \(R14\)\.$/,
    );
    await expectAccessible(customer);
    await screenshot(customer, 'customer-case');
    await customer.close();
  });

  it('opens the survey link of the e-mail in the outbox, answers it once, and says so on a second visit', async () => {
    const outbox = join(api.dataDir, 'outbox');
    const file = await waitFor(
      async () => (await readdir(outbox).catch(() => [] as string[])).find((f) => f.includes('survey')),
      () => `no survey e-mail in ${outbox}`,
    );
    const mail = await simpleParser(await readFile(join(outbox, file)));
    const link = mail.text?.match(/https?:\/\/\S+/)?.[0];
    expect(link).toBeDefined();
    const page = await context.newPage();
    await page.goto(link!);
    const rate = page.getByRole('group', { name: /1 .* 5/ });
    await rate.waitFor();
    expect(await page.locator('body').textContent()).toContain(SUBJECT);
    // in the case's language (the case was opened in French), whatever the browser's
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await page.getByRole('heading', { name: 'Votre avis compte' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'survey');
    await rate.getByLabel('4').check();
    await page.getByRole('textbox').fill('Quick once escalated.');
    await page.getByRole('button', { name: 'Envoyer ma réponse' }).click();
    await page.locator('.outcome').waitFor();
    const thanks = await page.locator('.outcome').textContent();
    await page.reload();
    await page.locator('.outcome').waitFor();
    expect(await page.locator('.outcome').textContent()).not.toBe(thanks);
    await expectAccessible(page);
    const answered = await asCustomer(`/v1/cases/${caseId}`);
    expect(answered.survey).toMatchObject({ answered: true });
    await page.close();
  });
  it('with OIDC_ISSUER, offers no local sign-in and starts the authorization-code flow with PKCE at the issuer', async () => {
    // an issuer on loopback: its discovery document (the browser reads it cross-origin) and
    // an authorization endpoint that records what the console asked
    const authorizations: URL[] = [];
    const issuer = createServer((req: IncomingMessage, res) => {
      const url = new URL(req.url ?? '/', base);
      if (url.pathname === '/.well-known/openid-configuration') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
        res.end(
          JSON.stringify({
            issuer: base,
            authorization_endpoint: `${base}/authorize`,
            token_endpoint: `${base}/token`,
            jwks_uri: `${base}/jwks`,
            response_types_supported: ['code'],
            code_challenge_methods_supported: ['S256'],
          }),
        );
      } else if (url.pathname === '/authorize') {
        authorizations.push(url);
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><html lang="en"><title>Issuer</title><main><h1>Issuer sign-in</h1></main></html>');
      } else {
        res.writeHead(404).end();
      }
    });
    issuer.listen(0, '127.0.0.1');
    await once(issuer, 'listening');
    const base = `http://127.0.0.1:${(issuer.address() as { port: number }).port}`;
    const oidcApi = await startApi(build, { OIDC_ISSUER: base });
    const page = await context.newPage();
    try {
      await page.goto(`${oidcApi.url}/console/`);
      const go = page.getByRole('button', { name: 'Continue to the identity provider' });
      await go.waitFor();
      expect(await page.getByLabel('Role').count()).toBe(0);
      await expectAccessible(page);
      await go.click();
      await page.getByRole('heading', { name: 'Issuer sign-in' }).waitFor();
      expect(authorizations).toHaveLength(1);
      const asked = authorizations[0].searchParams;
      expect(
        Object.fromEntries(
          ['response_type', 'client_id', 'redirect_uri', 'scope', 'code_challenge_method'].map((k) => [
            k,
            asked.get(k),
          ]),
        ),
      ).toEqual({
        response_type: 'code',
        client_id: 'support-console',
        redirect_uri: `${oidcApi.url}/console/callback`,
        scope: 'openid profile email',
        code_challenge_method: 'S256',
      });
      expect(asked.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(asked.get('state')).toBeTruthy();
    } finally {
      await page.close();
      await oidcApi.stop();
      issuer.close();
    }
  });
});
