import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import './styles.css';
import { setLang, t, useLang, type Lang } from './i18n';
import { useLiveState } from './hooks';
import { Link, navigate, usePath } from './router';
import { homeOf, session } from './session';
import { SignIn, SignInCallback } from './screens/sign-in';
import { Queues } from './screens/queues';
import { QueuePage } from './screens/queue';
import { CasePage } from './screens/case';
import { SurveyPage } from './screens/survey';
import { Reports } from './screens/reports';
import { Audit } from './screens/audit';
import { CaseList } from './screens/case-list';
import { Incidents } from './screens/incidents';

const useSession = () => {
  const [claims, setClaims] = useState(session.claims());
  useEffect(() => session.onChange(() => setClaims(session.claims())), []);
  return claims;
};

const LiveBadge = () => {
  const on = useLiveState();
  return (
    <span class={on ? 'live on' : 'live'} data-live={on ? 'on' : 'off'} role="status">
      {on ? t('liveOn') : t('liveOff')}
    </span>
  );
};

const LangSwitch = () => {
  const current = useLang();
  return (
    <div class="lang" role="group" aria-label={t('language')}>
      {(['en', 'fr'] as Lang[]).map((l) => (
        <button type="button" aria-pressed={current === l} lang={l} onClick={() => setLang(l)}>
          {l === 'en' ? 'English' : 'Français'}
        </button>
      ))}
    </div>
  );
};

const Nav = ({ role }: { role: string }) => {
  const links: Array<[string, string]> =
    role === 'agent'
      ? [
          ['/queues', t('navQueues')],
          ['/mine', t('navMyCases')],
        ]
      : role === 'supervisor'
        ? [
            ['/reports', t('navReports')],
            ['/mine', t('navCases')],
            ['/incidents', t('navIncidents')],
          ]
        : role === 'auditor'
          ? [['/audit', t('navAudit')]]
          : [['/cases', t('navCases')]];
  return (
    <nav aria-label={t('appName')}>
      <ul>
        {links.map(([to, label]) => (
          <li>
            <Link to={to}>{label}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
};

const Screen = ({ path, role }: { path: string; role: string }) => {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'queues':
      return parts[1] ? <QueuePage id={parts[1]} /> : <Queues />;
    case 'mine':
    case 'cases':
      return parts[1] ? <CasePage id={parts[1]} role={role} /> : <CaseList role={role} />;
    case 'reports':
      return <Reports />;
    case 'audit':
      return <Audit caseId={parts[1]} />;
    case 'incidents':
      return <Incidents role={role} />;
    default:
      return null;
  }
};

const App = () => {
  useLang();
  const path = usePath();
  const claims = useSession();
  const publicPage = path.startsWith('/survey/');
  useEffect(() => {
    if (publicPage || path === '/callback') return;
    if (!claims && path !== '/sign-in') navigate('/sign-in', true);
    else if (claims && (path === '/' || path === '/sign-in')) navigate(homeOf(claims.role), true);
  }, [claims, path, publicPage]);

  // a new screen: focus moves to its content, so keyboard and screen-reader users start there
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus();
  }, [path]);

  if (publicPage) {
    return (
      <>
        <header class="public">
          <span class="brand">{t('appName')}</span>
          <div class="tools">
            <LangSwitch />
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          <SurveyPage token={decodeURIComponent(path.slice('/survey/'.length))} />
        </main>
      </>
    );
  }
  return (
    <>
      <a class="skip" href="#main">
        {t('skip')}
      </a>
      <header>
        <span class="brand">{t('appName')}</span>
        {claims && <Nav role={claims.role} />}
        <div class="tools">
          {claims && <LiveBadge />}
          <LangSwitch />
          {claims && (
            <>
              <span class="who">
                {t('signedInAs', {
                  who: claims.name ?? claims.email ?? claims.sub ?? '',
                  role: t(`role.${claims.role}`),
                })}
              </span>
              <button type="button" onClick={() => session.signOut()}>
                {t('signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {path === '/callback' ? <SignInCallback /> : !claims ? <SignIn /> : <Screen path={path} role={claims.role} />}
      </main>
    </>
  );
};

render(<App />, document.getElementById('app')!);
