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

/**
 * Who is at work now (GET /v1/vendors' atWork, from each vendor's business calendar). A
 * 24-hour follow-the-sun strip would need each calendar's working hours, which the API does
 * not serve yet.
 */
const VendorsNow = () => {
  const vendors = useLoad(() => getJson<{ items: Vendor[] }>('/v1/vendors'), []);
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
