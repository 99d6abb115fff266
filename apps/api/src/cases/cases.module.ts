import { Module } from '@nestjs/common';
import { migrate, SQL_DATABASE, type SqlDatabase } from '@app/event-store';
import { IDEMPOTENCY_MIGRATIONS, IdempotencyService } from '../http/idempotency.service';
import { WriteInterceptor } from '../http/write.interceptor';
import { CaseAttachmentsModule } from '../attachments/attachments.module';
import { IncidentsController } from '../incidents/incidents.controller';
import { GetIncidentHandler, ListIncidentsHandler } from '../incidents/incident.queries';
import { CaseListQuery } from './case-list.query';
import { CaseViews } from './case-views';
import { GetCaseEventsHandler, GetCaseHandler, ListCasesHandler } from './case.queries';
import { CasesController } from './cases.controller';
import { ContactPreferencesController, GetContactNotificationsHandler } from './contact-preferences.controller';

/**
 * The case and incident API: controllers that send commands (@app/commands) and queries
 * (the handlers here) through the buses. The idempotency table is migrated before the
 * first request; the write interceptor is exported for the other write APIs (vendors).
 */
@Module({
  // the attachment routes, and the check of the files an answer or a reply names
  imports: [CaseAttachmentsModule],
  controllers: [CasesController, IncidentsController, ContactPreferencesController],
  providers: [
    CaseViews,
    CaseListQuery,
    GetCaseHandler,
    GetCaseEventsHandler,
    ListCasesHandler,
    GetIncidentHandler,
    ListIncidentsHandler,
    GetContactNotificationsHandler,
    WriteInterceptor,
    {
      provide: IdempotencyService,
      inject: [SQL_DATABASE],
      useFactory: async (db: SqlDatabase) => {
        await migrate(db, { component: 'api', migrations: IDEMPOTENCY_MIGRATIONS });
        return new IdempotencyService(db);
      },
    },
  ],
  exports: [IdempotencyService, WriteInterceptor, CaseViews],
})
export class CasesModule {}
