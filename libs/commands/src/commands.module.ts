import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { RecordAgentHandler } from './agent/record-agent';
import { ChangeArticleHandler } from './article/change-article';
import { ChangeContactPreferencesHandler } from './contact/set-contact-notifications';
import { ChangeIntakeHandler } from './intake/change-intake';
import { ChangeCaseHandler } from './case/change-case.handler';
import { CASE_WRITE_SETTINGS, type CaseWriteSettings } from './commands.tokens';
import { ChangeIncidentHandler } from './incident/change-incident';
import { ChangeVendorDirectoryHandler } from './vendor/change-vendor-directory';
import { SeedVendorsHandler, VendorSeeder } from './vendor/seed-vendors';

/**
 * The command door: the CommandBus of @nestjs/cqrs (CqrsModule) and the handlers of every
 * write (cases, incidents, vendors, agents seen, help-centre articles, customers' e-mail preferences). Global, so that the
 * API, the worker and the worker features the API hosts in embedded mode send through the
 * same handlers (and so share their per-stream queues and cache). Needs EVENT_STORE, CLOCK,
 * SlaService, the routing module; METRICS is optional.
 */
@Module({})
export class CommandsModule {
  static forRoot(settings: CaseWriteSettings): DynamicModule {
    return {
      module: CommandsModule,
      global: true,
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: CASE_WRITE_SETTINGS, useValue: settings },
        ChangeCaseHandler,
        ChangeIncidentHandler,
        ChangeVendorDirectoryHandler,
        SeedVendorsHandler,
        RecordAgentHandler,
        ChangeArticleHandler,
        ChangeContactPreferencesHandler,
        ChangeIntakeHandler,
        // the starting vendors (VENDORS_FILE) the log lacks, registered at start through the door
        VendorSeeder,
      ],
      // the seeders' handlers, for the apps' start-up seeding (before the bus knows its handlers)
      exports: [CqrsModule, ChangeArticleHandler],
    };
  }
}
