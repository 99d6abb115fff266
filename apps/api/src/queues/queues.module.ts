import { Module } from '@nestjs/common';
import { GetQueuePageHandler, ListQueuesHandler } from './queue.queries';
import { QueuesController } from './queues.controller';

/** /v1/queues (R4, R16); the registry (PROJECTIONS) and the vendor directory are global. */
@Module({ controllers: [QueuesController], providers: [ListQueuesHandler, GetQueuePageHandler] })
export class QueuesModule {}
