import { Global, Inject, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { CLOCK, type Clock } from '@app/clock';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { SlaService } from '@app/sla';
import { CaseRouter } from './case-router';
import { VendorDirectory } from './vendor-directory.service';

/**
 * Seeds the example vendors on the first start of the embedded default (no vendor yet).
 * A server deployment starts with an empty directory: supervisors register its vendors.
 */
@Injectable()
export class VendorSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Vendors');

  constructor(
    @Inject(VendorDirectory) private readonly directory: VendorDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.mode !== 'embedded') return;
    const seeded = await this.directory.seedIfEmpty(this.clock.now());
    if (seeded > 0) this.logger.log(`registered ${seeded} example vendors (first start); manage them with /v1/vendors`);
  }
}

/**
 * Vendors and routing (R4, R16) for the API and the worker: the vendor directory and the
 * case router over the store and the calendars (SlaService). Static and global, so that the
 * API and the worker features it hosts in embedded mode share one instance.
 */
@Global()
@Module({
  providers: [
    { provide: VendorDirectory, inject: [EVENT_STORE], useFactory: (store: EventStore) => new VendorDirectory(store) },
    {
      provide: CaseRouter,
      inject: [SlaService],
      useFactory: (sla: SlaService) => new CaseRouter((id) => sla.calendars.get(id)),
    },
    VendorSeeder,
  ],
  exports: [VendorDirectory, CaseRouter],
})
export class RoutingModule {}
