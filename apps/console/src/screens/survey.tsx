/**
 * The survey link of the e-mail (R15), without a login: what it is about from GET
 * /v1/surveys/{token}, the answer with POST. In the case's language when the API says it
 * (`language`), else the browser's; a used, superseded or expired link gets a page saying so.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiProblem, getJson, postJson, sentenceOf } from '../api';
import { langOf, setLang, t } from '../i18n';

interface SurveyState {
  caseSubject: string;
  answered: boolean;
  superseded: boolean;
  expiresAt: string;
  language?: string;
}

type Phase = 'loading' | 'ask' | 'thanks' | 'used' | 'superseded' | 'invalid' | 'error';

export const SurveyPage = ({ token }: { token: string }) => {
  const [state, setState] = useState<SurveyState>();
  const [phase, setPhase] = useState<Phase>('loading');
  const [rating, setRating] = useState<number>();
  const [error, setError] = useState<string>();
  const path = `/v1/surveys/${encodeURIComponent(token)}`;

  useEffect(() => {
    getJson<SurveyState>(path, false).then(
      (s) => {
        if (s.language) setLang(langOf(s.language), false);
        setState(s);
        setPhase(s.answered ? 'used' : s.superseded ? 'superseded' : 'ask');
      },
      (e: unknown) => {
        if (e instanceof ApiProblem && e.problem.status === 404) setPhase('invalid');
        else {
          setError(sentenceOf(e));
          setPhase('error');
        }
      },
    );
  }, [path]);

  useEffect(() => {
    document.title = t('surveyTitle');
  }, [phase]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    const comment = String(new FormData(e.currentTarget as HTMLFormElement).get('comment') ?? '').trim();
    try {
      await postJson(path, { rating, ...(comment ? { comment } : {}) }, false);
      setPhase('thanks');
    } catch (err) {
      if (err instanceof ApiProblem && err.problem.code === 'CASE.SURVEY_ALREADY_ANSWERED') setPhase('used');
      else if (err instanceof ApiProblem && err.problem.code === 'CASE.SURVEY_SUPERSEDED') setPhase('superseded');
      else if (err instanceof ApiProblem && err.problem.status === 404) setPhase('invalid');
      else setError(sentenceOf(err));
    }
  };

  const message = (text: string) => (
    <p class="outcome" role="status">
      {text}
    </p>
  );

  return (
    <section class="narrow survey" aria-labelledby="survey-title">
      <h1 id="survey-title">{t('surveyTitle')}</h1>
      {state && <p>{t('surveyAbout', { subject: state.caseSubject })}</p>}
      {phase === 'loading' && <p>{t('loading')}</p>}
      {phase === 'thanks' && message(t('surveyThanks'))}
      {phase === 'used' && message(t('surveyUsed'))}
      {phase === 'superseded' && message(t('surveySuperseded'))}
      {phase === 'invalid' && message(t('surveyInvalid'))}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {phase === 'ask' && (
        <form onSubmit={submit}>
          <fieldset class="rating">
            <legend>{t('surveyRating')}</legend>
            {[1, 2, 3, 4, 5].map((n) => (
              <label>
                <input
                  type="radio"
                  name="rating"
                  value={n}
                  required
                  checked={rating === n}
                  onChange={() => setRating(n)}
                />{' '}
                {n}
              </label>
            ))}
          </fieldset>
          <p>
            <label for="survey-comment">{t('surveyComment')}</label>
            <textarea id="survey-comment" name="comment" rows={4} maxLength={2000} />
          </p>
          <button type="submit" class="primary">
            {t('surveySend')}
          </button>
        </form>
      )}
    </section>
  );
};
