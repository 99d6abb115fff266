import { Module } from '@nestjs/common';
import { EventsStreamController } from './events-stream.controller';
import { EventStreamHub } from './event-stream.hub';

/** GET /v1/events/stream: the live case events (EventStreamHub); the store and the registry are global. */
@Module({ controllers: [EventsStreamController], providers: [EventStreamHub], exports: [EventStreamHub] })
export class EventsStreamModule {}
