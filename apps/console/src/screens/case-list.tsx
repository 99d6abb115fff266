import { getJson } from '../api';
import { useLiveRefresh, useLoad } from '../hooks';
import { formatDateTime, t } from '../i18n';
import { Link } from '../router';
import { session } from '../session';

interface CaseSummary {
  id: string;
  status: string;
  priority: string;
  subject: string;
  tenant: string;
  assigneeId?: string;
  openedAt?: string;
}

/**
 * A list of cases as GET /v1/cases answers the caller: an agent sees the cases assigned to
 * them; a support admin their organisation's (R3); a supervisor all of them.
 */
export const CaseList = ({ role }: { role: string }) => {
  const base = role === 'support-admin' ? '/cases' : '/mine';
  const me = session.claims()?.sub;
  const cases = useLoad(
    (after?: number) => getJson<{ items: CaseSummary[] }>(`/v1/cases?limit=100${after ? `&after=${after}` : ''}`),
    [],
  );
  useLiveRefresh(
    () => true,
    (position) => cases.reload(position),
  );
  const items = (cases.data?.items ?? []).filter((c) => role !== 'agent' || c.assigneeId === me);
  return (
    <section aria-labelledby="cases-title">
      <h1 id="cases-title">{role === 'agent' ? t('myCasesTitle') : t('casesTitle')}</h1>
      {cases.error && (
        <p role="alert" class="error">
          {cases.error}
        </p>
      )}
      {cases.data && items.length === 0 && <p>{t('noCases')}</p>}
      {items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('subject')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('priority')}</th>
              <th scope="col">{t('customer')}</th>
              <th scope="col">{t('oldest')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr data-case={c.id}>
                <th scope="row">
                  <Link to={`${base}/${c.id}`}>{c.subject}</Link>
                </th>
                <td>{t(`status.${c.status}`)}</td>
                <td>{c.priority}</td>
                <td>{c.tenant}</td>
                <td>{formatDateTime(c.openedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};
