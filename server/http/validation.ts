import { Ajv, type ErrorObject, type JSONSchemaType, type ValidateFunction } from 'ajv';
import type { Message, MessageKey } from '../i18n/index.js';

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, removeAdditional: true, strict: true });

export type FieldErrors = Record<string, Message>;
export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** Messages for ajv keywords; a schema may name its own with `errorMessageKey` per property. */
function messageFor(error: ErrorObject, custom: MessageKey | undefined): Message {
  const limit = (error.params as { limit?: number }).limit;
  switch (error.keyword) {
    case 'required':
      return { key: 'field.required' };
    case 'maxLength':
      return { key: 'field.tooLong', params: { limit: limit ?? 0 } };
    case 'minLength':
      return limit === 1 ? { key: 'field.required' } : { key: 'field.tooShort', params: { limit: limit ?? 0 } };
    case 'minimum':
      return { key: 'field.minimum', params: { limit: limit ?? 0 } };
    case 'maximum':
      return { key: 'field.maximum', params: { limit: limit ?? 0 } };
    case 'type':
      return { key: (error.params as { type?: string }).type === 'integer' ? 'field.integer' : 'field.invalid' };
    case 'pattern':
      return { key: custom ?? 'field.pattern' };
    case 'enum':
      return { key: 'field.enum' };
    default:
      return { key: 'field.invalid' };
  }
}

/**
 * Compiles a form schema once. Strings are trimmed before validation; unknown fields are dropped.
 * `patternMessages` names the message for a field whose pattern fails.
 */
export function formValidator<T>(
  schema: JSONSchemaType<T>,
  patternMessages: Partial<Record<keyof T & string, MessageKey>> = {},
): (body: unknown) => FormResult<T> {
  const validate: ValidateFunction<T> = ajv.compile(schema);
  return (body) => {
    const input: Record<string, unknown> = {};
    for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
      if (k === '_csrf') continue;
      const trimmed = typeof v === 'string' ? v.trim() : v;
      if (trimmed !== '') input[k] = trimmed; // an empty field is a missing field
    }
    if (validate(input)) return { ok: true, value: input };
    const errors: FieldErrors = {};
    for (const error of validate.errors ?? []) {
      const field =
        error.keyword === 'required'
          ? (error.params as { missingProperty: string }).missingProperty
          : error.instancePath.replace(/^\//, '');
      errors[field] ??= messageFor(error, patternMessages[field as keyof T & string]);
    }
    return { ok: false, errors };
  };
}
