import { getJson } from '../api';
import { useLiveRefresh, useLoad, useNow } from '../hooks';
import { formatDateTime, t } from '../i18n';
import { Link } from '../router';
import { Countdown } from './queue';

interface QueueSummary {
  id: string;
  language: string;
  priority: string;
  count: number;
  breached: number;
  oldestOpenedAt?: string;
}

/**
 * The agent's queues (their languages, every priority): counts refreshed live, and the next
 * due time of each non-empty queue (its first case as the API orders it: the summary has none)
 */
export const Queues = () => {
  const now = useNow();
  const queues = useLoad(async (after?: number) => {
    const suffix = after ? `after=${after}` : '';
    const { items } = await getJson<{ items: QueueSummary[] }>(`/v1/queues${suffix ? `?${suffix}` : ''}`);
    const next = await Promise.all(
      items.map((q) =>
        q.count === 0
          ? undefined
          : getJson<{ items: Array<{ firstResponseDueAt?: string }> }>(
              `/v1/queues/${encodeURIComponent(q.id)}?limit=1${suffix ? `&${suffix}` : ''}`,
            ).then((page) => page.items[0]?.firstResponseDueAt),
      ),
    );
    return { items: items.map((q, i) => ({ ...q, nextDueAt: next[i] })) };
  }, []);
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
              <th scope="col">{t('nextDue')}</th>
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
                <td>{q.nextDueAt ? <Countdown dueAt={q.nextDueAt} now={now} /> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};
