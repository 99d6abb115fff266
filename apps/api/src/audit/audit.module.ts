import { Module } from '@nestjs/common';
import { AuditAccessInterceptor } from './audit-access.interceptor';
import {
  AUDIT_CHECKPOINT_EVERY_MS,
  AuditCheckpointScheduler,
  DEFAULT_CHECKPOINT_EVERY_MS,
} from './audit-checkpoint.scheduler';
import { AuditController } from './audit.controller';
import {
  ExportAuditLogHandler,
  GetAuditEventsHandler,
  GetCaseAsOfHandler,
  GetQueueAsOfHandler,
  GetReportAsOfHandler,
  VerifyHashChainsHandler,
} from './audit.queries';

/** /v1/audit and the periodic checkpoint of all chains (docs/audit.md). */
@Module({
  controllers: [AuditController],
  providers: [
    VerifyHashChainsHandler,
    GetCaseAsOfHandler,
    GetQueueAsOfHandler,
    GetReportAsOfHandler,
    GetAuditEventsHandler,
    ExportAuditLogHandler,
    AuditAccessInterceptor,
    AuditCheckpointScheduler,
    { provide: AUDIT_CHECKPOINT_EVERY_MS, useValue: DEFAULT_CHECKPOINT_EVERY_MS },
  ],
})
export class AuditModule {}
