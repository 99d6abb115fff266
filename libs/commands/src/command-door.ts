import type { Command } from '@nestjs/cqrs';
import type { Clock } from '@app/clock';
import type { EventStore } from '@app/event-store';
import type { Metrics } from '@app/observability';
import { CaseRouter, VendorDirectory } from '@app/routing';
import type { SlaService } from '@app/sla';
import { RecordAgent, RecordAgentHandler } from './agent/record-agent';
import { ChangeArticle, ChangeArticleHandler } from './article/change-article';
import { ChangeCase } from './case/change-case.command';
import { ChangeCaseHandler } from './case/change-case.handler';
import { ChangeContactPreferences, ChangeContactPreferencesHandler } from './contact/set-contact-notifications';
import { ChangeIncident, ChangeIncidentHandler } from './incident/change-incident';
import { ChangeIntake, ChangeIntakeHandler } from './intake/change-intake';
import { ChangeVendorDirectory, ChangeVendorDirectoryHandler } from './vendor/change-vendor-directory';
import { SeedVendors, SeedVendorsHandler } from './vendor/seed-vendors';

/**
 * What a sender needs of the CommandBus: `execute`. The timers and the re-router take this
 * rather than the bus itself, so a test or a tool without a Nest application can hand them
 * the handlers directly ({@link handlersDoor}) and still go through the same handlers.
 */
export interface CommandDoor {
  execute<R>(command: Command<R>): Promise<R>;
}

type HandlerOf = { execute(command: never): Promise<unknown> };

/** A door over handler instances, by the command class each handles (outside a Nest app). */
export const handlersDoor = (
  routes: ReadonlyArray<readonly [abstract new (...args: never[]) => unknown, HandlerOf]>,
): CommandDoor => ({
  execute: <R>(command: Command<R>): Promise<R> => {
    const route = routes.find(([type]) => command instanceof type);
    if (!route) return Promise.reject(new Error(`no handler for ${command.constructor.name}`));
    return route[1].execute(command as never) as Promise<R>;
  },
});

export interface StandaloneDoorOptions {
  readonly store: EventStore;
  readonly clock: Clock;
  readonly sla: SlaService;
  readonly surveyDelayMs: number;
  /** the vendors new cases are routed among; default: the store's directory */
  readonly directory?: VendorDirectory;
  readonly metrics?: Metrics;
}

/**
 * The case, incident, vendor, agent, article and intake handlers over one store, without a Nest
 * application: for tools, benchmarks and test harnesses that must write exactly as the API
 * does. Each call makes new handlers (their own queues and cache: another "process").
 */
export const standaloneDoor = (o: StandaloneDoorOptions): CommandDoor => {
  const directory = o.directory ?? new VendorDirectory(o.store);
  const router = new CaseRouter((id) => o.sla.calendars.get(id));
  return handlersDoor([
    [
      ChangeCase,
      new ChangeCaseHandler(o.store, o.clock, o.sla, router, directory, { surveyDelayMs: o.surveyDelayMs }, o.metrics),
    ],
    [ChangeIncident, new ChangeIncidentHandler(o.store, o.clock)],
    [ChangeVendorDirectory, new ChangeVendorDirectoryHandler(o.store, o.clock, directory)],
    [SeedVendors, new SeedVendorsHandler(o.store, o.clock, directory)],
    [RecordAgent, new RecordAgentHandler(o.store, o.clock)],
    [ChangeArticle, new ChangeArticleHandler(o.store, o.clock)],
    [ChangeContactPreferences, new ChangeContactPreferencesHandler(o.store, o.clock)],
    [ChangeIntake, new ChangeIntakeHandler(o.store, o.clock)],
  ]);
};
