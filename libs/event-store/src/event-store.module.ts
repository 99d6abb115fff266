import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
  type OnApplicationShutdown,
  type OptionalFactoryDependency,
} from '@nestjs/common';
import { CLOCK, type Clock } from '@app/clock';
import { createEventStore, type EventStoreHandle, type EventStoreOptions } from './create-event-store';
import { EVENT_STORE, SQL_DATABASE } from './event-store.tokens';

export interface EventStoreModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  readonly inject?: (InjectionToken | OptionalFactoryDependency)[];
  readonly useFactory: (...args: never[]) => EventStoreOptions | Promise<EventStoreOptions>;
  /** register the providers in every module (default true: one store per process) */
  readonly global?: boolean;
}

const EVENT_STORE_HANDLE = Symbol('EVENT_STORE_HANDLE');

/** Closes the store and its database when the application shuts down. */
@Injectable()
class EventStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE_HANDLE) private readonly handle: EventStoreHandle) {}

  async onApplicationShutdown(): Promise<void> {
    await this.handle.store.close();
  }
}

/**
 * Binds {@link EVENT_STORE} (an `EventStore`) and {@link SQL_DATABASE} (the same database,
 * for read models) to the store that `useFactory`'s options describe, migrated on start.
 * When the app provides a {@link CLOCK} (and the options name no clock), events are
 * recorded at its time, so `recorded_at` agrees with the times the domain writes in events.
 */
@Module({})
export class EventStoreModule {
  static forRootAsync({
    imports = [],
    inject = [],
    useFactory,
    global = true,
  }: EventStoreModuleAsyncOptions): DynamicModule {
    return {
      module: EventStoreModule,
      global,
      imports,
      providers: [
        {
          provide: EVENT_STORE_HANDLE,
          inject: [...inject, { token: CLOCK, optional: true }],
          useFactory: async (...args: unknown[]) => {
            const clock = args.pop() as Clock | undefined;
            const options = await useFactory(...(args as never[]));
            return createEventStore({ clock, ...options });
          },
        },
        { provide: EVENT_STORE, inject: [EVENT_STORE_HANDLE], useFactory: (h: EventStoreHandle) => h.store },
        { provide: SQL_DATABASE, inject: [EVENT_STORE_HANDLE], useFactory: (h: EventStoreHandle) => h.db },
        EventStoreCloser,
      ],
      exports: [EVENT_STORE, SQL_DATABASE],
    };
  }
}
