import { BadRequestException, Body, Controller, Get, HttpCode, Inject, NotFoundException, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  emailDomain,
  issueLocalToken,
  lifetimeSeconds,
  loadOrCreateLocalSecret,
  Public,
  SUPPORT_PRIVILEGE,
  Unauthenticated,
  type PrincipalClaims,
} from '@app/auth';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ApiProblems, ApiPublicOperation } from '../openapi/api-problems';
import {
  CONSOLE_OIDC_SCOPE,
  CONSOLE_ROLES,
  ConsoleConfigResponse,
  ConsoleSignInRequest,
  ConsoleSignInResponse,
} from './console.dto';

/** as `npm run token` (casectl token's default --expires-in) */
export const CONSOLE_TOKEN_LIFETIME = '8h';

const validationFailed = (fields: readonly { field: string; message: string }[]) =>
  new BadRequestException({
    code: 'HTTP.VALIDATION_FAILED',
    message: fields.map((f) => f.message).join('; '),
    errors: fields.map(({ field, message }) => ({ field, messages: [message] })),
  });

/**
 * The claims `casectl token` signs for each role (docs/auth.md): the e-mail address as `sub`;
 * a support admin with the Support privilege and `org` (default: the address's domain); an
 * agent with vendor, languages and regions (all three required). Fields of other roles are left out.
 */
export const consoleClaims = (body: ConsoleSignInRequest): PrincipalClaims => {
  const base = { sub: body.email, email: body.email, ...(body.name === undefined ? {} : { name: body.name }) };
  switch (body.role) {
    case 'support-admin':
      return {
        ...base,
        role: 'support-admin',
        org: body.org ?? emailDomain(body.email),
        privileges: [SUPPORT_PRIVILEGE],
      };
    case 'agent': {
      const missing = (['vendor', 'languages', 'regions'] as const)
        .filter((field) => body[field] === undefined)
        .map((field) => ({ field, message: `${field} is required to sign in as an agent` }));
      if (missing.length > 0) throw validationFailed(missing);
      return { ...base, role: 'agent', vendor: body.vendor, languages: body.languages, regions: body.regions };
    }
    case 'supervisor':
    case 'auditor':
      return { ...base, role: body.role };
  }
};

/**
 * What the web console (apps/console) needs before anyone signs in: how to sign in, and in
 * local mode the development sign-in itself, which mints a local token for a chosen person
 * and role exactly as `npm run token` does. Never offered with OIDC_ISSUER set (404).
 */
@ApiTags('console')
@Public()
@Controller('v1/console')
export class ConsoleController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('config')
  @ApiPublicOperation('How the web console signs in: local tokens (and the roles offered) or OpenID Connect')
  @ApiOkResponse({ type: ConsoleConfigResponse })
  @ApiProblems([400, 'a NUL character or an unpaired surrogate in the query (HTTP.VALIDATION_FAILED)'])
  configuration(): ConsoleConfigResponse {
    const { oidcIssuer, oidcClientId } = this.config.auth;
    return oidcIssuer
      ? { signIn: 'oidc', issuer: oidcIssuer, clientId: oidcClientId, scope: CONSOLE_OIDC_SCOPE }
      : { signIn: 'local', roles: [...CONSOLE_ROLES] };
  }

  @Post('sign-in')
  @HttpCode(201)
  @ApiPublicOperation('Local mode only: a development sign-in that mints a local token for a person and role')
  @ApiCreatedResponse({ type: ConsoleSignInResponse })
  @ApiProblems(
    [
      400,
      'an invalid body (HTTP.VALIDATION_FAILED: `errors` names the fields; an agent needs vendor, languages and ' +
        'regions), malformed JSON (HTTP.MALFORMED_BODY) or JSON nested too deep (HTTP.BODY_TOO_DEEP)',
    ],
    [
      404,
      'the API verifies the tokens of an OpenID Connect issuer (OIDC_ISSUER): there is no local sign-in (HTTP.NOT_FOUND)',
    ],
    413,
    415,
  )
  async signIn(@Body() body: ConsoleSignInRequest): Promise<ConsoleSignInResponse> {
    if (this.config.auth.oidcIssuer)
      throw new NotFoundException({
        code: 'HTTP.NOT_FOUND',
        message: 'There is no local sign-in: this API accepts the tokens of its OpenID Connect issuer only.',
      });
    const claims = consoleClaims(body);
    const secret = await loadOrCreateLocalSecret(this.config.dataDir, this.config.auth.secret);
    // the wall clock, not the app's CLOCK: the verifier checks expiry against real time, as for `npm run token`
    const issuedAt = new Date();
    try {
      const token = await issueLocalToken(secret, claims, { expiresIn: CONSOLE_TOKEN_LIFETIME, issuedAt });
      const expiresAt = new Date(
        Math.floor(issuedAt.getTime() / 1000) * 1000 + lifetimeSeconds(CONSOLE_TOKEN_LIFETIME) * 1000,
      );
      return { token, expiresAt: expiresAt.toISOString() };
    } catch (error) {
      // the verifier's own parser refused a claim: name the field
      if (error instanceof Unauthenticated && error.claim)
        throw validationFailed([{ field: error.claim, message: error.message }]);
      throw error;
    }
  }
}
