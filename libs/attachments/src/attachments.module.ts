import { Module } from '@nestjs/common';
import { CLOCK, type Clock } from '@app/clock';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AttachmentStore } from './attachment-store';

/**
 * Provides the {@link AttachmentStore} of the app's configuration (`AppConfig.attachments`),
 * having removed the partial files a crashed process left in its `.tmp/` (older than an hour).
 */
@Module({
  providers: [
    {
      provide: AttachmentStore,
      useFactory: async (config: AppConfig, clock: Clock) => {
        const store = new AttachmentStore(config.attachments);
        await store.sweepLeftovers(clock.now());
        return store;
      },
      inject: [APP_CONFIG, CLOCK],
    },
  ],
  exports: [AttachmentStore],
})
export class AttachmentsModule {}
