export * from './attachment-store';
export * from './attachment.errors';
export * from './attachments.module';
export { DEFAULT_ATTACHMENT_TYPES, detectContentType } from './content-type';
