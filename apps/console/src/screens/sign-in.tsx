/**
 * Sign-in. GET /v1/console/config says which: `local` (the API signs with its local secret:
 * a development form that asks POST /v1/console/sign-in for a token for the person and role
 * chosen) or `oidc` (the authorization-code flow with PKCE against the issuer, through
 * oidc-client-ts, loaded only then, so the local console does not carry it).
 */
import { useEffect, useState } from 'preact/hooks';
import { getJson, postJson, sentenceOf } from '../api';
import { t } from '../i18n';
import { navigate } from '../router';
import { homeOf, session } from '../session';

type ConsoleConfig =
  { signIn: 'local'; roles: string[] } | { signIn: 'oidc'; issuer: string; clientId: string; scope: string };

const oidcManager = async (config: Extract<ConsoleConfig, { signIn: 'oidc' }>) => {
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  return new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    scope: config.scope,
    response_type: 'code',
    redirect_uri: `${location.origin}${import.meta.env.BASE_URL}callback`,
    post_logout_redirect_uri: `${location.origin}${import.meta.env.BASE_URL}`,
    userStore: new WebStorageStateStore({ store: sessionStorage }),
  });
};

const DEFAULTS: Record<
  string,
  { email: string; name?: string; vendor?: string; languages?: string; regions?: string; org?: string }
> = {
  agent: { email: 'eve@north.example', name: 'Eve Martin', vendor: 'north-desk', languages: 'fr, en', regions: 'emea' },
  supervisor: { email: 'sam@support.example', name: 'Sam Lee' },
  auditor: { email: 'aud@audit.example' },
  'support-admin': { email: 'ana@acme.example', name: 'Ana Costa', org: 'acme.example' },
};

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export const SignIn = () => {
  const [config, setConfig] = useState<ConsoleConfig>();
  const [error, setError] = useState<string>();
  const [role, setRole] = useState('agent');
  const [form, setForm] = useState(DEFAULTS.agent);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    getJson<ConsoleConfig>('/v1/console/config', false).then(setConfig, (e: unknown) => setError(sentenceOf(e)));
  }, []);

  const chooseRole = (next: string) => {
    setRole(next);
    setForm(DEFAULTS[next]);
  };
  const field = (name: keyof typeof form, label: string, type: 'text' | 'email' = 'text', required = false) => (
    <p>
      <label for={`f-${name}`}>{label}</label>
      <input
        id={`f-${name}`}
        name={name}
        type={type as 'text'}
        required={required}
        value={form[name] ?? ''}
        onInput={(e) => setForm({ ...form, [name]: (e.target as HTMLInputElement).value })}
      />
    </p>
  );

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body: Record<string, unknown> = { role, email: form.email };
      if (form.name) body.name = form.name;
      if (role === 'agent')
        Object.assign(body, {
          vendor: form.vendor,
          languages: list(form.languages ?? ''),
          regions: list(form.regions ?? ''),
        });
      if (role === 'support-admin') body.org = form.org;
      const { token } = await postJson<{ token: string }>('/v1/console/sign-in', body, false);
      session.signIn(token);
      navigate(homeOf(role), true);
    } catch (err) {
      setError(sentenceOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="sign-in-title" class="narrow">
      <h1 id="sign-in-title">{t('signInTitle')}</h1>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {!config && !error && <p>{t('loading')}</p>}
      {config?.signIn === 'oidc' && (
        <>
          <p>{t('signInOidc')}</p>
          <button type="button" class="primary" onClick={async () => (await oidcManager(config)).signinRedirect()}>
            {t('signInOidcButton')}
          </button>
        </>
      )}
      {config?.signIn === 'local' && (
        <form onSubmit={submit}>
          <p class="hint">{t('signInLocal')}</p>
          <p>
            <label for="f-role">{t('role')}</label>
            <select
              id="f-role"
              name="role"
              value={role}
              onChange={(e) => chooseRole((e.target as HTMLSelectElement).value)}
            >
              {config.roles.map((r) => (
                <option value={r}>{t(`role.${r}`)}</option>
              ))}
            </select>
          </p>
          {field('email', t('email'), 'email', true)}
          {field('name', t('displayName'))}
          {role === 'agent' && (
            <>
              {field('vendor', t('vendor'), 'text', true)}
              {field('languages', t('languages'), 'text', true)}
              {field('regions', t('regions'), 'text', true)}
            </>
          )}
          {role === 'support-admin' && field('org', t('org'), 'text', true)}
          <button type="submit" class="primary" disabled={busy}>
            {t('signInButton')}
          </button>
        </form>
      )}
    </section>
  );
};

/** the issuer sends the browser back here with the code; the library exchanges it (PKCE) */
export const SignInCallback = () => {
  const [error, setError] = useState<string>();
  useEffect(() => {
    (async () => {
      const config = await getJson<ConsoleConfig>('/v1/console/config', false);
      if (config.signIn !== 'oidc') throw new Error('OIDC is not configured');
      const user = await (await oidcManager(config)).signinRedirectCallback();
      session.signIn(user.access_token);
      navigate(homeOf(session.claims()?.role), true);
    })().catch((e: unknown) => setError(sentenceOf(e)));
  }, []);
  return (
    <section class="narrow">
      <h1>{t('signInTitle')}</h1>
      {error ? (
        <p role="alert" class="error">
          {error}
        </p>
      ) : (
        <p>{t('completingSignIn')}</p>
      )}
    </section>
  );
};
