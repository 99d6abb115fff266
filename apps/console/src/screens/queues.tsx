import { getJson } from '../api';
import { useLiveRefresh, useLoad } from '../hooks';
import { formatDateTime, t } from '../i18n';
import { Link } from '../router';

interface QueueSummary {
  id: string;
  language: string;
  priority: string;
  count: number;
  breached: number;
  oldestOpenedAt?: string;
}

/** the agent's queues (their languages, every priority): counts refreshed live */
export const Queues = () => {
  const queues = useLoad(
    (after?: number) => getJson<{ items: QueueSummary[] }>(`/v1/queues${after ? `?after=${after}` : ''}`),
    [],
  );
  useLiveRefresh(
    () => true,
    (position) => queues.reload(position),
  );
  return (
    <section aria-labelledby="queues-title">
      <h1 id="queues-title">{t('queuesTitle')}</h1>
      {queues.error && (
        <p role="alert" class="error">
          {queues.error}
        </p>
      )}
      {!queues.data && !queues.error && <p>{t('loading')}</p>}
      {queues.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('queue')}</th>
              <th scope="col">{t('priority')}</th>
              <th scope="col">{t('waiting')}</th>
              <th scope="col">{t('breached')}</th>
              <th scope="col">{t('oldest')}</th>
            </tr>
          </thead>
          <tbody>
            {queues.data.items.map((q) => (
              <tr data-queue={q.id} class={q.breached > 0 ? 'hot' : undefined}>
                <th scope="row">
                  <Link to={`/queues/${encodeURIComponent(q.id)}`}>{q.id}</Link>
                </th>
                <td>{q.priority}</td>
                <td data-count>{q.count}</td>
                <td>{q.breached}</td>
                <td>{formatDateTime(q.oldestOpenedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};
