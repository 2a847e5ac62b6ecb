/**
 * Text that cannot be stored: a NUL (PostgreSQL text refuses it) or U+FFFD, which is what bytes that are
 * not UTF-8 become when decoded. Input carrying either is refused with the field named, never stored. Pure.
 */
export const UNSAFE_TEXT = /[\u0000\uFFFD]/;

/** The first field (dotted path) of a parsed body or query whose text is unsafe, if any. */
export function unsafeField(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return UNSAFE_TEXT.test(value) ? path || '(value)' : null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = unsafeField(item, path);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (UNSAFE_TEXT.test(key)) return path ? `${path}.?` : '?';
      const found = unsafeField(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

/** A file's text when it is valid UTF-8 (a byte-order mark allowed), else null. */
export function strictUtf8(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
