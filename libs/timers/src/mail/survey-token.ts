import { hkdfSync } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

const ISSUER = 'support-case-backend';
const AUDIENCE = 'survey';
/** 90 days: long enough for a holiday, short enough that old links die */
export const SURVEY_TOKEN_LIFETIME_SECONDS = 90 * 86_400;

/** What a survey link says: which case, which survey. */
export interface SurveyTokenClaims {
  readonly caseId: string;
  readonly surveyId: string;
  readonly expiresAt: Date;
}

/** A survey link that is malformed, forged, for something else, or expired (404: no survey behind it). */
export class InvalidSurveyToken extends Error {
  readonly code = 'SURVEY.INVALID_LINK';
  readonly status = 404;
  readonly retriable = false;
  constructor(readonly reason: string) {
    super('This survey link is not valid or has expired.');
    this.name = 'InvalidSurveyToken';
  }
}

/**
 * The signed token in the survey e-mail's link (R15): JWT, HS256, with a key derived from
 * the app's local secret (HKDF-SHA-256, info `survey-token/v1`), so a survey token is never
 * a bearer token and a bearer token never a survey token (they also differ in audience).
 * Single use is the domain's rule: the token names its survey, and a second
 * `AnswerSurvey` for it is refused (`CASE.SURVEY_ALREADY_ANSWERED`).
 */
export class SurveyTokens {
  private readonly key: Uint8Array;

  constructor(
    secret: Uint8Array,
    private readonly lifetimeSeconds = SURVEY_TOKEN_LIFETIME_SECONDS,
  ) {
    if (secret.byteLength < 32) throw new TypeError('The survey token secret must be at least 32 bytes');
    this.key = new Uint8Array(hkdfSync('sha256', secret, ISSUER, 'survey-token/v1', 32));
  }

  /** A token for the survey, issued at `now` (the injected clock's). */
  sign(claims: { caseId: string; surveyId: string }, now: Date): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({ sid: claims.surveyId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.caseId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.lifetimeSeconds)
      .sign(this.key);
  }

  /** The claims of a valid token at `now`; throws {@link InvalidSurveyToken} otherwise. */
  async verify(token: string, now: Date): Promise<SurveyTokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: now,
        requiredClaims: ['sub', 'exp', 'sid'],
      });
      if (typeof payload.sid !== 'string' || payload.sid === '' || !payload.sub) throw new Error('bad claims');
      return { caseId: payload.sub, surveyId: payload.sid, expiresAt: new Date(payload.exp! * 1000) };
    } catch (error) {
      throw new InvalidSurveyToken(error instanceof Error ? error.message : String(error));
    }
  }
}
