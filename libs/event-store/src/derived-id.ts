import { createHash } from 'node:crypto';

/**
 * A UUID (RFC 9562 layout, version 8, variant 10) from SHA-256 of the parts joined by NUL:
 * the same parts, the same id. For event ids that must come out the same when a write is
 * repeated (a retry, a second process seeding, a timer fired twice), so the store keeps one.
 */
export const derivedUuid = (...parts: readonly (string | number)[]): string => {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 3) | 8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};
