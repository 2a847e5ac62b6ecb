/**
 * Text that cannot be stored: a NUL (PostgreSQL text refuses it) or U+FFFD, which is what bytes that are
 * not UTF-8 become when decoded. Input carrying either is refused with the field named, never stored. Pure.
 */
export const UNSAFE_TEXT = /[\u0000\uFFFD]/;

/** Deeper than any form or JSON body of the platform: refused rather than walked (10,000 levels parse fine). */
export const MAX_INPUT_DEPTH = 32;

export interface InputProblem {
  kind: 'unsafeText' | 'tooDeep';
  /** Dotted path of the field. */
  field: string;
}

/**
 * The first field of a parsed body or query whose text is unsafe, or that nests deeper than
 * MAX_INPUT_DEPTH; null when there is none. Walks with a stack of its own, so no input can exhaust the
 * call stack.
 */
export function inputProblem(value: unknown): InputProblem | null {
  const stack: [unknown, string, number][] = [[value, '', 0]];
  while (stack.length) {
    const [item, path, depth] = stack.pop()!;
    if (typeof item === 'string') {
      if (UNSAFE_TEXT.test(item)) return { kind: 'unsafeText', field: path || '(value)' };
      continue;
    }
    if (!item || typeof item !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) return { kind: 'tooDeep', field: path || '(value)' };
    const children: [unknown, string][] = [];
    if (Array.isArray(item)) for (const child of item) children.push([child, path]);
    else
      for (const [key, child] of Object.entries(item)) {
        if (UNSAFE_TEXT.test(key)) return { kind: 'unsafeText', field: path ? `${path}.?` : '?' };
        children.push([child, path ? `${path}.${key}` : key]);
      }
    // Pushed in reverse so that the first field is looked at first.
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]![0], children[i]![1], depth + 1]);
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
