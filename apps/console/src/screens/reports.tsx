/**
 * The supervisor's reports (GET /v1/reports/{name}) as bar charts in inline SVG, one per
 * report, over a date range, each with its figures as a table (what a screen reader reads)
 * and a CSV download (the same report with Accept: text/csv).
 */
import { useState } from 'preact/hooks';
import { download, getJson, sentenceOf } from '../api';
import { useLiveRefresh, useLoad } from '../hooks';
import { t } from '../i18n';

interface Report {
  report: string;
  title: string;
  columns: string[];
  rows: Array<Record<string, unknown>>;
  groupBy: string;
  /** the deflection report's figures over the whole period */
  total?: Record<string, unknown>;
}

/** which reports, grouped how, and which numeric columns to chart */
const SHOWN: Array<{ name: string; groupBy?: string; bars: string[]; count?: string }> = [
  {
    name: 'first-response-time',
    groupBy: 'vendor',
    bars: ['medianBusinessMinutes', 'p90BusinessMinutes'],
    count: 'responses',
  },
  { name: 'sla-attainment', groupBy: 'priority', bars: ['attainmentPercent'], count: 'cycles' },
  { name: 'backlog', bars: ['cases'] },
  { name: 'outcomes', bars: ['resolutions'] },
  { name: 'csat', bars: ['responseRatePercent', 'satisfiedPercent'], count: 'sent' },
  { name: 'credits', bars: ['amount'], count: 'credits' },
  // R5–R8: the help assistant's intakes and the share an article solved (GET /v1/reports/deflection)
  { name: 'deflection', groupBy: 'product', bars: ['deflectionRate'], count: 'intakes' },
];

const COLORS = ['#1f5fa8', '#b4480b', '#2d7a3a', '#6b3fa0'];

const day = (d: Date) => d.toISOString().slice(0, 10);

const numericColumns = (r: Report): string[] =>
  r.columns.filter((c) => r.rows.length > 0 && r.rows.every((row) => typeof row[c] === 'number' || row[c] === null));

/** a list column (the deflection report's articles) is a cell, not a label */
const listColumn = (r: Report, c: string): boolean => r.rows.some((row) => Array.isArray(row[c]));

/** a cell as text: a list of objects as "a: 1, b: 2" (an article and its count) */
const cellText = (v: unknown): string => {
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v))
    return (
      v.map((o) => (typeof o === 'object' && o ? Object.values(o as object).join(': ') : String(o))).join(', ') || '—'
    );
  return String(v);
};

const percent = (rate: number) => `${Math.round(rate * 1000) / 10} %`;

/** the deflection report's headline: the rate over every intake of the period */
const DeflectionFigure = ({ total }: { total: Record<string, unknown> }) => {
  const rate = total.deflectionRate;
  return (
    <p class="figure" data-figure="deflection-rate">
      {typeof rate === 'number'
        ? t('deflectionRate', {
            rate: percent(rate),
            deflected: String(total.deflected),
            intakes: String(total.intakes),
          })
        : t('noIntakes')}
    </p>
  );
};

export const BarChart = ({ report, bars, count }: { report: Report; bars: string[]; count?: string }) => {
  const labels = report.columns.filter((c) => !numericColumns(report).includes(c) && !listColumn(report, c));
  const labelOf = (row: Record<string, unknown>) => {
    const name = labels.map((c) => String(row[c] ?? '')).join(' · ') || report.title;
    return count && row[count] !== undefined ? `${name} (${String(row[count])})` : name;
  };
  const series = bars.filter((b) => report.columns.includes(b)).slice(0, 4);
  const rows = report.rows;
  if (rows.length === 0 || series.length === 0) return <p>{t('noRows')}</p>;
  const max = Math.max(1, ...rows.flatMap((r) => series.map((s) => Number(r[s] ?? 0))));
  const groupWidth = Math.max(120, series.length * 22 + 20);
  const width = Math.max(360, 60 + rows.length * groupWidth);
  const height = 220;
  const plot = 160;
  return (
    <figure>
      <svg
        role="img"
        aria-labelledby={`chart-${report.report}`}
        viewBox={`0 0 ${width} ${height + 20 * series.length}`}
        width={width}
      >
        <title id={`chart-${report.report}`}>{t('chartOf', { title: report.title })}</title>
        <line x1="50" y1="10" x2="50" y2={10 + plot} stroke="#333" />
        <line x1="50" y1={10 + plot} x2={width} y2={10 + plot} stroke="#333" />
        <text x="45" y="16" text-anchor="end" font-size="11" fill="#222">
          {Math.round(max * 100) / 100}
        </text>
        <text x="45" y={10 + plot} text-anchor="end" font-size="11" fill="#222">
          0
        </text>
        {rows.map((row, i) => {
          const x0 = 60 + i * groupWidth;
          return (
            <g>
              {series.map((s, j) => {
                const v = Number(row[s] ?? 0);
                const h = (v / max) * plot;
                return (
                  <rect x={x0 + j * 22} y={10 + plot - h} width="18" height={Math.max(h, 0.5)} fill={COLORS[j]}>
                    <title>{`${labelOf(row)} · ${s}: ${v}`}</title>
                  </rect>
                );
              })}
              <text x={x0} y={10 + plot + 16} font-size="11" fill="#222">
                {labelOf(row)}
              </text>
            </g>
          );
        })}
        {series.map((s, j) => (
          <g>
            <rect x="60" y={height - 20 + j * 20} width="12" height="12" fill={COLORS[j]} />
            <text x="78" y={height - 10 + j * 20} font-size="12" fill="#222">
              {s}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
};

const ReportCard = ({
  report,
  bars,
  count,
  query,
}: {
  report: Report;
  bars: string[];
  count?: string;
  query: string;
}) => (
  <section class="report" aria-labelledby={`r-${report.report}`} data-report={report.report}>
    <h2 id={`r-${report.report}`}>{report.title}</h2>
    {report.report === 'deflection' && report.total && <DeflectionFigure total={report.total} />}
    <BarChart report={report} bars={bars} count={count} />
    {count && <p class="hint">{t('countNote', { column: count })}</p>}
    <details>
      <summary>{report.columns.join(' · ')}</summary>
      <table>
        <thead>
          <tr>
            {report.columns.map((c) => (
              <th scope="col">{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.rows.map((row) => (
            <tr>
              {report.columns.map((c) => (
                <td>{cellText(row[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
    <button
      type="button"
      class="link"
      onClick={() => void download(`/v1/reports/${report.report}?${query}`, `${report.report}.csv`, 'text/csv')}
    >
      {t('downloadCsv')}: {report.title}
    </button>
  </section>
);

interface Vendor {
  id: string;
  name: string;
  languages: string[];
  regions: string[];
  calendarId: string;
  atWork: boolean;
}

interface CalendarHours {
  id: string;
  timeZone: string;
  next24h: Array<{ start: string; end: string }>;
}

const HOUR_MS = 3_600_000;
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/**
 * The follow-the-sun strip: each vendor's working time over the next 24 hours in UTC (its
 * calendar's, from GET /v1/calendars: holidays and time-zone changes applied by the API), on
 * an axis from the current UTC hour, with a "now" marker. The list under it says the same in
 * words (what a screen reader reads).
 */
const FollowTheSun = ({
  vendors,
  calendars,
}: {
  vendors: Vendor[];
  calendars: { from: string; items: CalendarHours[] };
}) => {
  const now = Date.parse(calendars.from);
  const start = Math.floor(now / HOUR_MS) * HOUR_MS;
  const span = 24 * HOUR_MS;
  const left = 110;
  const width = 720;
  const rowH = 26;
  const x = (ms: number) => left + ((ms - start) / span) * width;
  const byId = new Map(calendars.items.map((c) => [c.id, c]));
  const rows = vendors.map((v) => {
    const hours = byId.get(v.calendarId)?.next24h ?? [];
    const working = hours.some((h) => Date.parse(h.start) <= now && now < Date.parse(h.end));
    return { v, hours, working };
  });
  const height = 30 + rows.length * rowH;
  return (
    <figure class="strip" data-from={calendars.from}>
      <svg role="img" aria-labelledby="strip-title" viewBox={`0 0 ${left + width + 10} ${height}`} width="100%">
        <title id="strip-title">{t('followTheSun')}</title>
        {Array.from({ length: 25 }, (_, i) => (
          <g>
            <line x1={x(start + i * HOUR_MS)} y1="16" x2={x(start + i * HOUR_MS)} y2={height} stroke="#ccc" />
            {i % 3 === 0 && i < 24 && (
              <text x={x(start + i * HOUR_MS) + 2} y="12" font-size="10" fill="#222">
                {hhmm(start + i * HOUR_MS)}
              </text>
            )}
          </g>
        ))}
        {rows.map(({ v, hours }, i) => (
          <g data-strip-vendor={v.id}>
            <text x="4" y={30 + i * rowH + 12} font-size="12" fill="#222">
              {v.id}
            </text>
            {hours.map((h) => (
              <rect
                class="work"
                data-start={h.start}
                data-end={h.end}
                x={x(Date.parse(h.start))}
                y={30 + i * rowH}
                width={Math.max(1, x(Date.parse(h.end)) - x(Date.parse(h.start)))}
                height={rowH - 8}
                fill="#2d7a3a"
              >
                <title>{`${v.id}: ${hhmm(Date.parse(h.start))}–${hhmm(Date.parse(h.end))} UTC`}</title>
              </rect>
            ))}
          </g>
        ))}
        <line data-now={calendars.from} x1={x(now)} y1="14" x2={x(now)} y2={height} stroke="#b4480b" stroke-width="2" />
        <text x={x(now) + 3} y={height - 2} font-size="10" fill="#8a3608">
          {t('now')}
        </text>
      </svg>
      <figcaption>
        <ul class="strip-list">
          {rows.map(({ v, hours, working }) => (
            <li data-strip-row={v.id} data-working-now={String(working)}>
              <strong>{v.name}</strong> ({v.calendarId}):{' '}
              {hours.length === 0
                ? t('noWorkingHours')
                : hours.map((h) => `${hhmm(Date.parse(h.start))}–${hhmm(Date.parse(h.end))}`).join(', ') + ' UTC'}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
};

/** Who is at work now (GET /v1/vendors' atWork, from each vendor's business calendar), and the next 24 hours. */
const VendorsNow = () => {
  const vendors = useLoad(() => getJson<{ items: Vendor[] }>('/v1/vendors'), []);
  const calendars = useLoad(() => getJson<{ from: string; items: CalendarHours[] }>('/v1/calendars'), []);
  if (!vendors.data) return null;
  return (
    <section class="report" aria-labelledby="vendors-title">
      <h2 id="vendors-title">{t('vendorsNow')}</h2>
      <ul class="vendors">
        {vendors.data.items.map((v) => (
          <li data-vendor={v.id} class={v.atWork ? 'at-work' : 'off'}>
            <strong>{v.name}</strong> — {v.atWork ? t('atWork') : t('offWork')} ({v.languages.join(', ')};{' '}
            {v.regions.join(', ')}; {v.calendarId})
          </li>
        ))}
      </ul>
      {calendars.error && (
        <p role="alert" class="error">
          {calendars.error}
        </p>
      )}
      {calendars.data && <FollowTheSun vendors={vendors.data.items} calendars={calendars.data} />}
    </section>
  );
};

export const Reports = () => {
  const today = new Date();
  const [range, setRange] = useState({
    from: day(new Date(today.getTime() - 30 * 86_400_000)),
    to: day(new Date(today.getTime() + 86_400_000)),
  });
  const [draft, setDraft] = useState(range);
  const queryOf = (name: string, groupBy?: string, after?: number) => {
    const q = new URLSearchParams({ from: `${range.from}T00:00:00Z`, to: `${range.to}T00:00:00Z` });
    if (groupBy) q.set('groupBy', groupBy);
    if (after) q.set('after', String(after));
    return q.toString();
  };
  const reports = useLoad(
    (after?: number) =>
      Promise.all(
        SHOWN.map((r) =>
          getJson<Report>(`/v1/reports/${r.name}?${queryOf(r.name, r.groupBy, after)}`).catch(
            (e: unknown) => ({ failed: r.name, sentence: sentenceOf(e) }) as const,
          ),
        ),
      ),
    [range.from, range.to],
  );
  useLiveRefresh(
    () => true,
    (position) => reports.reload(position),
  );
  return (
    <section aria-labelledby="reports-title">
      <h1 id="reports-title">{t('reportsTitle')}</h1>
      <form
        class="range"
        onSubmit={(e) => {
          e.preventDefault();
          setRange(draft);
        }}
      >
        <label for="range-from">{t('from')}</label>
        <input
          id="range-from"
          type="date"
          value={draft.from}
          onInput={(e) => setDraft({ ...draft, from: (e.target as HTMLInputElement).value })}
        />
        <label for="range-to">{t('to')}</label>
        <input
          id="range-to"
          type="date"
          value={draft.to}
          onInput={(e) => setDraft({ ...draft, to: (e.target as HTMLInputElement).value })}
        />
        <button type="submit">{t('apply')}</button>
      </form>
      {reports.error && (
        <p role="alert" class="error">
          {reports.error}
        </p>
      )}
      {!reports.data && !reports.error && <p>{t('loading')}</p>}
      <div class="reports">
        <VendorsNow />
        {reports.data?.map((r, i) =>
          'failed' in r ? (
            <section class="report" aria-labelledby={`r-${r.failed}`}>
              <h2 id={`r-${r.failed}`}>{r.failed}</h2>
              <p role="alert" class="error">
                {r.sentence}
              </p>
            </section>
          ) : (
            <ReportCard
              report={r}
              bars={SHOWN[i].bars}
              count={SHOWN[i].count}
              query={queryOf(SHOWN[i].name, SHOWN[i].groupBy)}
            />
          ),
        )}
      </div>
    </section>
  );
};
