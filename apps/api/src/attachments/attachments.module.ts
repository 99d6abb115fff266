import { Module } from '@nestjs/common';
import { AttachmentsModule } from '@app/attachments';
import { AttachmentReferences } from './attachment-references';
import { AttachmentsController } from './attachments.controller';

/**
 * The attachment routes (upload, download) and the check of the references an answer or a
 * reply names (`AttachmentReferences`, used by the cases controller); the store is
 * `@app/attachments`' (ATTACHMENTS_DIR).
 */
@Module({
  imports: [AttachmentsModule],
  controllers: [AttachmentsController],
  providers: [AttachmentReferences],
  exports: [AttachmentReferences],
})
export class CaseAttachmentsModule {}
