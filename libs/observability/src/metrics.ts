import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What a scrape waits for a refresh (see {@link Metrics.onScrape}) before it answers without it. */
export const SCRAPE_REFRESH_TIMEOUT_MS = 2_000;

/**
 * The process's Prometheus metrics (prom-client), one registry per app so tests can build
 * several apps in one process. Served as text on `GET /metrics` (the API's HTTP port, the
 * worker's `WORKER_METRICS_PORT`).
 *
 * Label values come from closed sets (routes, command types, projection, relay and timer
 * kind names, outcomes), never from ids, so the number of series stays bounded.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly refreshes = new Set<() => Promise<unknown>>();

  readonly httpRequests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly commands = new Counter({
    name: 'case_commands_total',
    help: 'Case and incident commands by type and result (accepted, refused, failed)',
    labelNames: ['command', 'result'] as const,
    registers: [this.registry],
  });

  readonly projectionLagEvents = new Gauge({
    name: 'projection_lag_events',
    help: 'Events committed to the log that the projection has not applied yet',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly projectionLagSeconds = new Gauge({
    name: 'projection_lag_seconds',
    help: 'Age of the oldest event the projection has not applied yet',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly projectionParked = new Gauge({
    name: 'projection_parked_events',
    help: 'Events parked because the projection could not apply them',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  // ── Kafka relay (libs/messaging), labelled by the relay's checkpoint name ──

  readonly relayLeader = new Gauge({
    name: 'kafka_relay_leader',
    help: "1 while this process's relay holds the leader lease and publishes, 0 while it stands by or is stopped",
    labelNames: ['relay'] as const,
    registers: [this.registry],
  });

  readonly relayLastPublishedPosition = new Gauge({
    name: 'kafka_relay_last_published_position',
    help: "Global log position of the last event the broker acknowledged and the relay checkpointed (the relays' shared checkpoint)",
    labelNames: ['relay'] as const,
    registers: [this.registry],
  });

  readonly relayLagEvents = new Gauge({
    name: 'kafka_relay_lag_events',
    help: 'Events committed to the log after the relay checkpoint: not yet acknowledged by the broker',
    labelNames: ['relay'] as const,
    registers: [this.registry],
  });

  readonly relayPublishedEvents = new Counter({
    name: 'kafka_relay_published_events_total',
    help: 'Case and incident events this process published and the broker acknowledged (a batch sent again after a failure counts again)',
    labelNames: ['relay'] as const,
    registers: [this.registry],
  });

  readonly relayErrors = new Counter({
    name: 'kafka_relay_errors_total',
    help: 'Failures of the relay in this process, each retried: sends, topic creation, reads of the log, checkpoint saves, lease renewals',
    labelNames: ['relay'] as const,
    registers: [this.registry],
  });

  // ── durable timers (libs/timers), labelled by timer kind ──

  readonly timersPending = new Gauge({
    name: 'timers_pending',
    help: 'Timers waiting to fire (state pending), due or not',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly timersDue = new Gauge({
    name: 'timers_due',
    help: "Pending timers whose due time has come (due now or overdue) by the scheduler's clock",
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly timersOverdueSeconds = new Gauge({
    name: 'timers_overdue_seconds',
    help: 'How long past its due time the most overdue pending timer is; 0 when none is due',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly timersFired = new Counter({
    name: 'timers_fired_total',
    help: 'Timers fired by this process, by outcome: recorded (events appended), already (done before), obsolete (cancelled), not-yet (rescheduled)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly timerFailures = new Counter({
    name: 'timers_failures_total',
    help: 'Firings that failed with an error in this process; final="true" when the timer was given up (state failed), else it is retried with back-off',
    labelNames: ['kind', 'final'] as const,
    registers: [this.registry],
  });

  // ── the help assistant's intake sweep (libs/workers), labelled by action: abandon, open-case ──

  readonly intakeSweepDue = new Gauge({
    name: 'intake_sweep_due',
    help: "Intakes due for the sweep by this process's clock, as the intakes read model has them: abandon (still suggesting, idle past INTAKE_ABANDON_AFTER), open-case (a case requested and not opened after the grace)",
    labelNames: ['action'] as const,
    registers: [this.registry],
  });

  readonly intakeSweeps = new Counter({
    name: 'intake_sweep_total',
    help: 'Intakes the sweep of this process handled, by action and outcome: recorded (events appended), already (nothing left to do), refused (the domain refused it: see the log), failed (an error; tried again at the next pass)',
    labelNames: ['action', 'outcome'] as const,
    registers: [this.registry],
  });

  // ── the listener of the customers' e-mail replies (libs/inbound-mail) ──

  readonly inboundMail = new Counter({
    name: 'inbound_mail_total',
    help: "Messages the inbound SMTP listener of this process answered, by outcome: recorded, already-recorded (the same Message-ID again), or the refusal's reason (unknown-recipient, sender-outside-organisation, empty-reply, case-closed, try-later, …: libs/inbound-mail/README.md)",
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean; service: string }) {
    this.registry.setDefaultLabels({ service: options.service });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * Registers a refresh that runs before each render: for gauges read from the database
   * (the relay's lag, pending timers), so a scrape sees them as of that moment. Returns its
   * removal. A refresh that fails, or takes longer than {@link SCRAPE_REFRESH_TIMEOUT_MS},
   * leaves its gauges as they were and the scrape still answers: it must report its own
   * failure (log it), since the scrape does not.
   */
  onScrape(refresh: () => Promise<unknown>): () => void {
    const entry = () => refresh();
    this.refreshes.add(entry);
    return () => void this.refreshes.delete(entry);
  }

  async render(): Promise<string> {
    await Promise.all([...this.refreshes].map((refresh) => settleWithin(refresh, SCRAPE_REFRESH_TIMEOUT_MS)));
    return this.registry.metrics();
  }
}

/** Runs `fn`, resolving when it settles or after `ms`, whichever comes first; never rejects. */
const settleWithin = (fn: () => Promise<unknown>, ms: number): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms).unref()));
  const run = Promise.resolve()
    .then(fn)
    .then(
      () => undefined,
      () => undefined,
    );
  return Promise.race([run, timeout]).finally(() => clearTimeout(timer));
};

export const METRICS = Symbol('METRICS');
