import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AttachmentStore } from './attachment-store';

/** Provides the {@link AttachmentStore} of the app's configuration (`AppConfig.attachments`). */
@Module({
  providers: [
    {
      provide: AttachmentStore,
      useFactory: (config: AppConfig) => new AttachmentStore(config.attachments),
      inject: [APP_CONFIG],
    },
  ],
  exports: [AttachmentStore],
})
export class AttachmentsModule {}
