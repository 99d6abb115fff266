import { Module } from '@nestjs/common';
import { AuditAccessInterceptor } from './audit-access.interceptor';
import {
  AUDIT_CHECKPOINT_EVERY_MS,
  AuditCheckpointScheduler,
  DEFAULT_CHECKPOINT_EVERY_MS,
} from './audit-checkpoint.scheduler';
import { AuditController } from './audit.controller';
import { AuditQueriesService } from './audit-queries.service';

/** /v1/audit and the periodic checkpoint of all chains (docs/audit.md). */
@Module({
  controllers: [AuditController],
  providers: [
    AuditQueriesService,
    AuditAccessInterceptor,
    AuditCheckpointScheduler,
    { provide: AUDIT_CHECKPOINT_EVERY_MS, useValue: DEFAULT_CHECKPOINT_EVERY_MS },
  ],
})
export class AuditModule {}
