
import 'reflect-metadata';
import { type ArgumentsHost, Catch, Controller, type ExceptionFilter, Get, Post } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AuthError } from './auth.errors';
import { bearerToken } from './auth.guard';
import { AuthModule } from './auth.module';
import { CurrentPrincipal, Public, RequiresAction } from './auth.decorators';
import { issueLocalToken } from './local-token';
import type { Principal, PrincipalClaims } from './principal';

const secret = 'guard-spec-secret-0123456789-0123456789-01';

@Controller('cases')
class CasesController {
  @Get('health')
  @Public()
  health() {
    return { ok: true };
  }

  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return principal;
  }

  @Post()
  @RequiresAction('case.open')
  open(@CurrentPrincipal() principal: Principal) {
    return { openedBy: principal.sub };
  }
}

/** what the app's problem-details filter does with auth errors, in miniature */
@Catch(AuthError)
class AuthErrorFilter implements ExceptionFilter {
  catch(err: AuthError, host: ArgumentsHost) {
    const reply = host.switchToHttp().getResponse();
    reply.status(err.status).send({ code: err.code, detail: err.message });
  }
}

const ana: PrincipalClaims = {
  role: 'support-admin',
  sub: 'ana',
  email: 'ana@acme.example',
  org: 'acme.example',
  privileges: ['support'],
};
const eve: PrincipalClaims = {
  role: 'agent',
  sub: 'eve',
  email: 'eve@north.example',
  vendor: 'north',
  languages: ['fr'],
  regions: ['emea'],
};

describe('AuthModule on Fastify', () => {
  let app: NestFastifyApplication;
  const token = (claims: PrincipalClaims) => issueLocalToken(secret, claims, { expiresIn: '5m' });
  const get = async (url: string, authorization?: string) =>
    app.inject({ method: 'GET', url, headers: authorization ? { authorization } : {} });

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AuthModule.forRootAsync({
          useFactory: async () => ({ verifier: { mode: 'local', secret }, consumerDomains: ['webmail.example'] }),
        }),
      ],
      controllers: [CasesController],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    app.useGlobalFilters(new AuthErrorFilter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  it('lets anyone through a @Public() route', async () => {
    expect((await get('/cases/health')).statusCode).toBe(200);
  });

  it('answers 401 AUTH.UNAUTHENTICATED without a token', async () => {
    const res = await get('/cases/me');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({
      code: 'AUTH.UNAUTHENTICATED',
      detail: 'Sign in: this request needs an "Authorization: Bearer <token>" header.',
    });
  });

  it.each([
    ['a bad token', 'Bearer not-a-token'],
    ['another scheme', 'Basic YW5hOnNlY3JldA=='],
  ])('answers 401 for %s', async (_, authorization) => {
    const res = await get('/cases/me', authorization);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('AUTH.UNAUTHENTICATED');
  });

  it('answers 401 for an expired token', async () => {
    const expired = await issueLocalToken(secret, ana, { expiresIn: 60, issuedAt: new Date(Date.now() - 3600_000) });
    const res = await get('/cases/me', `Bearer ${expired}`);
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toBe('The bearer token has expired; get a new one.');
  });

  it('attaches the verified principal to the Fastify request', async () => {
    const res = await get('/cases/me', `Bearer ${await token(ana)}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ...ana });
  });

  it('lets @RequiresAction() through when the policy allows it', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/cases',
      headers: { authorization: `Bearer ${await token(ana)}` },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ openedBy: 'ana' });
  });

  it('answers 403 with the refusal when the policy does not', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/cases',
      headers: { authorization: `Bearer ${await token(eve)}` },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      code: 'AUTH.FORBIDDEN',
      detail: 'The agent role (agent) may not open a case (case.open).',
    });
  });

  it('applies the configured consumer domains (R2)', async () => {
    const consumer = await token({ ...ana, email: 'ana@webmail.example' });
    const res = await app.inject({ method: 'POST', url: '/cases', headers: { authorization: `Bearer ${consumer}` } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('AUTH.CONSUMER_ACCOUNT');
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['Bearer   abc.def.ghi ', 'abc.def.ghi'],
  ])('reads %p', (authorization, expected) => {
    expect(bearerToken({ headers: { authorization } })).toBe(expected);
  });

  it.each([[undefined], [''], ['abc.def.ghi'], ['Bearer'], ['Bearer a b'], [['Bearer a', 'Bearer b']]])(
    'refuses %p',
    (authorization) => {
      expect(() => bearerToken({ headers: { authorization } })).toThrow(expect.objectContaining({ status: 401 }));
    },
  );
});
