import { Global, Inject, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import type { Vendor } from '@app/case-domain';
import { CLOCK, type Clock } from '@app/clock';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { SlaService } from '@app/sla';
import { CaseRouter } from './case-router';
import { VendorDirectory } from './vendor-directory.service';
import { loadVendorsFile } from './vendors-file.loader';

/** The starting vendors, read from VENDORS_FILE and validated when the module is built. */
export const STARTING_VENDORS = Symbol('STARTING_VENDORS');

/**
 * Registers, at every start and in both modes, the starting vendors (VENDORS_FILE) that the
 * directory's log does not have yet. A vendor the log has (seeded before, or registered or
 * changed through /v1/vendors) keeps what the log says: the API wins over the file.
 */
@Injectable()
export class VendorSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Vendors');

  constructor(
    @Inject(VendorDirectory) private readonly directory: VendorDirectory,
    @Inject(STARTING_VENDORS) private readonly vendors: readonly Vendor[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const seeded = await this.directory.seedMissing(this.clock.now(), this.vendors);
    if (seeded > 0)
      this.logger.log(
        `registered ${seeded} vendors from ${this.config.routing.vendorsFile}; manage them with /v1/vendors`,
      );
  }
}

/**
 * Vendors and routing (R4, R16) for the API and the worker: the vendor directory and the
 * case router over the store and the calendars (SlaService), and the starting vendors
 * (VENDORS_FILE), registered at start when the log does not have them. Static and global, so that the
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
    {
      provide: STARTING_VENDORS,
      inject: [APP_CONFIG, SlaService],
      // a bad file stops the start here, with one line naming the file and the entry
      useFactory: (config: AppConfig, sla: SlaService) =>
        loadVendorsFile(config.routing.vendorsFile, new Set(sla.calendars.keys())),
    },
    VendorSeeder,
  ],
  exports: [VendorDirectory, CaseRouter],
})
export class RoutingModule {}
