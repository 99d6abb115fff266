import { Module } from '@nestjs/common';
import { migrate, SQL_DATABASE, type SqlDatabase } from '@app/event-store';
import { IDEMPOTENCY_MIGRATIONS, IdempotencyService } from '../http/idempotency.service';
import { IncidentsController } from '../incidents/incidents.controller';
import { IncidentsService } from '../incidents/incidents.service';
import { CaseCommandsService } from './case-commands.service';
import { CaseListQuery } from './case-list.query';
import { CaseQueriesService } from './case-queries.service';
import { CasesController } from './cases.controller';

/** The case and incident API. The idempotency table is migrated before the first request. */
@Module({
  controllers: [CasesController, IncidentsController],
  providers: [
    CaseCommandsService,
    CaseQueriesService,
    CaseListQuery,
    IncidentsService,
    {
      provide: IdempotencyService,
      inject: [SQL_DATABASE],
      useFactory: async (db: SqlDatabase) => {
        await migrate(db, { component: 'api', migrations: IDEMPOTENCY_MIGRATIONS });
        return new IdempotencyService(db);
      },
    },
  ],
  // the other write APIs (vendors) answer retries the same way
  exports: [IdempotencyService],
})
export class CasesModule {}
