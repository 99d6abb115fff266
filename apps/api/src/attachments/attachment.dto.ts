import { ApiProperty, type SchemaObject } from '@nestjs/swagger';

/** A stored file as an answer or a reply names it (the domain's `Attachment`). */
export class StoredAttachmentResponse {
  @ApiProperty({ description: 'the cleaned file name (no path), at most 255 characters', example: 'sso.log' })
  name!: string;
  @ApiProperty({ description: 'bytes', minimum: 0, example: 2048 })
  size!: number;
  @ApiProperty({ description: 'detected from the bytes, never from the name', example: 'text/plain' })
  contentType!: string;
  @ApiProperty({ description: 'hex SHA-256 of the bytes, lower case', pattern: '^[0-9a-f]{64}$' })
  sha256!: string;
}

export class UploadedAttachmentsResponse {
  @ApiProperty({
    type: [StoredAttachmentResponse],
    description: 'the stored files, in the order of the parts: name them in POST /info or /replies',
  })
  attachments!: StoredAttachmentResponse[];
}

/** The body of the upload, for the OpenAPI document: one or more parts named `file`. */
export const UPLOAD_BODY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['file'],
  properties: {
    file: {
      type: 'array',
      items: { type: 'string', format: 'binary' },
      description: 'one or more files, each a part named "file" with a filename',
    },
  },
};
