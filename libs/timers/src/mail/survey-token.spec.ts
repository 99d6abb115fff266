import { randomBytes } from 'node:crypto';
import { issueLocalToken } from '@app/auth';
import { InvalidSurveyToken, SurveyTokens } from './survey-token';

describe('SurveyTokens (R15: the signed link in the survey e-mail)', () => {
  const secret = randomBytes(32);
  const tokens = new SurveyTokens(secret);
  const now = new Date('2026-03-02T09:00:00Z');
  const claims = {
    caseId: '0b7e6f7e-1c1a-4d55-9a56-3d7c1e0c2f10',
    surveyId: '0b7e6f7e-1c1a-4d55-9a56-3d7c1e0c2f10:survey:1',
  };

  const refused = async (token: string, at = now) => {
    await expect(tokens.verify(token, at)).rejects.toBeInstanceOf(InvalidSurveyToken);
    await expect(tokens.verify(token, at)).rejects.toMatchObject({ code: 'SURVEY.INVALID_LINK', status: 404 });
  };

  it('names the case and the survey, for 90 days from the clock of the signer', async () => {
    const token = await tokens.sign(claims, now);
    expect(await tokens.verify(token, new Date('2026-05-30T09:00:00Z'))).toEqual({
      ...claims,
      expiresAt: new Date('2026-05-31T09:00:00Z'),
    });
    await refused(token, new Date('2026-05-31T09:00:01Z'));
  });

  it('refuses a token signed with another secret, or tampered with', async () => {
    const token = await tokens.sign(claims, now);
    await refused(await new SurveyTokens(randomBytes(32)).sign(claims, now));
    const [h, p, s] = token.split('.');
    const other = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sid: 'x:survey:9' }),
    );
    await refused(`${h}.${other.toString('base64url')}.${s}`);
  });

  it('is not a bearer token and a bearer token is not a survey token, though both come from the same secret', async () => {
    const bearer = await issueLocalToken(
      secret,
      { role: 'auditor', sub: 'aud', email: 'aud@audit.example' },
      { expiresIn: '1h' },
    );
    await refused(bearer);
  });

  it('refuses a secret shorter than 32 bytes', () =>
    expect(() => new SurveyTokens(randomBytes(16))).toThrow(TypeError));
});
