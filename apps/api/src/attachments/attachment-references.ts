import { Inject, Injectable } from '@nestjs/common';
import { AttachmentStore } from '@app/attachments';
import type { Attachment } from '@app/case-domain';
import { AttachmentMismatch, AttachmentNotStored } from './attachment.errors';

/**
 * The check of the attachment references a customer's answer or reply names
 * (`POST /v1/cases/{id}/info`, `/replies`): each must be a stored file, with the size and the
 * content type the store found (409 ATTACHMENT.NOT_STORED, ATTACHMENT.MISMATCH). A lookup the
 * domain cannot make, so the edge makes it, as it does for a linked incident (R14).
 */
@Injectable()
export class AttachmentReferences {
  constructor(@Inject(AttachmentStore) private readonly store: AttachmentStore) {}

  /** The references as the store knows them (hash and type in lower case, the name as given); throws on the first bad one. */
  async check(references: readonly Attachment[]): Promise<Attachment[]> {
    const checked: Attachment[] = [];
    for (const reference of references) {
      const stored = await this.store.describe(reference.sha256);
      if (!stored) throw new AttachmentNotStored(reference.sha256);
      if (stored.size !== reference.size || stored.contentType !== reference.contentType.toLowerCase())
        throw new AttachmentMismatch(reference.sha256, reference, stored);
      checked.push({ name: reference.name, size: stored.size, contentType: stored.contentType, sha256: stored.sha256 });
    }
    return checked;
  }
}
