import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ACCESS_MATRIX, IS_PUBLIC, REQUIRED_ACTION } from '@app/auth';

const SRC = join(__dirname, '..');

interface Route {
  readonly route: string;
  readonly action: string | 'public';
}

/** Every route of every controller under apps/api/src, with the action its guard requires. */
const declaredRoutes = (): Route[] => {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.controller.ts'));
  const routes: Route[] = [];
  for (const file of files) {
    const exported = jest.requireActual<Record<string, unknown>>(join(SRC, file));
    for (const controller of Object.values(exported)) {
      if (typeof controller !== 'function') continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string | undefined;
      if (base === undefined) continue;
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string;
        const route = `${RequestMethod[method]} /${[base, path].filter((p) => p && p !== '/').join('/')}`;
        const action =
          Reflect.getMetadata(REQUIRED_ACTION, handler) ?? Reflect.getMetadata(REQUIRED_ACTION, controller);
        const isPublic = Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, controller);
        routes.push({ route: route.replace(/\/+/g, '/'), action: action ?? (isPublic ? 'public' : 'none') });
      }
    }
  }
  return routes.sort((a, b) => a.route.localeCompare(b.route));
};

/**
 * What each route requires. Who may do each action is the matrix's business, checked cell by
 * cell in libs/auth (access.policy.spec.ts); a few e2e samples per role check that the guard
 * applies it (apps/api/test/access-matrix.e2e-spec.ts).
 */
const EXPECTED: Readonly<Record<string, string>> = {
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'GET /metrics': 'public',
  'GET /v1/audit/cases/:id': 'audit.read',
  'GET /v1/audit/events': 'audit.read',
  'GET /v1/audit/export': 'audit.export',
  'GET /v1/audit/queues/:id': 'audit.read',
  'GET /v1/audit/reports/:name': 'audit.read-report',
  'GET /v1/audit/verify': 'audit.verify',
  'GET /v1/calendars': 'calendar.read',
  'GET /v1/cases': 'case.list',
  'GET /v1/cases/:id': 'case.read',
  'GET /v1/cases/:id/attachments/:sha256': 'case.read',
  'GET /v1/cases/:id/events': 'case.read',
  // the web console's configuration: how to sign in, before anyone has
  'GET /v1/console/config': 'public',
  'GET /v1/events/stream': 'events.stream',
  'GET /v1/help/articles': 'help.search',
  'GET /v1/help/articles/:id': 'help.search',
  'GET /v1/incidents': 'incident.read',
  'GET /v1/intakes/:id': 'intake.read',
  'GET /v1/queues': 'case.claim',
  'GET /v1/queues/:id': 'case.claim',
  'GET /v1/reports': 'report.read',
  'GET /v1/reports/:name': 'report.read',
  'GET /v1/reports/deflection': 'report.read',
  'GET /v1/surveys/:token': 'public',
  'GET /v1/vendors': 'vendor.manage',
  'GET /v1/vendors/:id': 'vendor.manage',
  'POST /v1/cases': 'case.open',
  'POST /v1/cases/:id/assignment': 'case.claim',
  'POST /v1/cases/:id/attachments': 'case.upload-attachment',
  'POST /v1/cases/:id/credit-requests': 'case.request-credit',
  'POST /v1/cases/:id/credits': 'case.issue-credit',
  'POST /v1/cases/:id/escalations': 'case.escalate',
  'POST /v1/cases/:id/notes': 'case.add-note',
  'POST /v1/cases/:id/incident-link': 'case.link-incident',
  'POST /v1/cases/:id/incident-report-requests': 'case.request-incident-report',
  'POST /v1/cases/:id/incident-reports': 'case.send-incident-report',
  'POST /v1/cases/:id/info': 'case.provide-info',
  'POST /v1/cases/:id/info-requests': 'case.request-info',
  'POST /v1/cases/:id/priority': 'case.change-priority',
  'POST /v1/cases/:id/reopen': 'case.reopen',
  'POST /v1/cases/:id/replies': 'case.reply',
  'POST /v1/cases/:id/resolution': 'case.resolve',
  'POST /v1/cases/:id/responses': 'case.respond',
  'POST /v1/cases/:id/survey-response': 'case.answer-survey',
  // local mode's development sign-in: it mints the token (a 404 with OIDC_ISSUER set)
  'POST /v1/console/sign-in': 'public',
  'POST /v1/help/articles': 'help.manage',
  'POST /v1/incidents': 'incident.declare',
  'POST /v1/incidents/:id/resolution': 'incident.resolve',
  'POST /v1/intakes': 'intake.start',
  'POST /v1/intakes/:id/case': 'intake.continue',
  'POST /v1/intakes/:id/deflection': 'intake.continue',
  'POST /v1/intakes/:id/problem': 'intake.continue',
  'POST /v1/intakes/:id/recent-case': 'intake.continue',
  'POST /v1/intakes/:id/searches': 'intake.continue',
  // the survey link is its own credential: a signed token in the path, one case, one cycle
  'POST /v1/surveys/:token': 'public',
  'POST /v1/vendors': 'vendor.manage',
  'PUT /v1/cases/:id/notifications': 'case.set-notifications',
  'GET /v1/me/notifications': 'contact.read-notifications',
  'PUT /v1/me/notifications': 'contact.set-notifications',
  'PUT /v1/help/articles/:id': 'help.manage',
  'PUT /v1/vendors/:id': 'vendor.manage',
};

describe('every route declares the action the access matrix judges it by', () => {
  const routes = declaredRoutes();

  it('finds the controllers (the scan is not empty)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(Object.keys(EXPECTED).length);
  });

  it('requires of each route exactly the action of the table above; no route is left without one', () => {
    expect(Object.fromEntries(routes.map((r) => [r.route, r.action]))).toEqual(EXPECTED);
  });

  it('names only actions of the matrix', () => {
    for (const { route, action } of routes) {
      if (action !== 'public')
        expect({ route, known: Object.hasOwn(ACCESS_MATRIX, action) }).toEqual({ route, known: true });
    }
  });

  it('keeps every write route (POST, PUT) behind a write action, except the signed survey link and the local sign-in', () => {
    const writes = routes.filter((r) => !r.route.startsWith('GET ') && r.action !== 'public');
    for (const { route, action } of writes) {
      expect({ route, write: ACCESS_MATRIX[action as keyof typeof ACCESS_MATRIX].write }).toEqual({
        route,
        write: true,
      });
    }
  });
});
