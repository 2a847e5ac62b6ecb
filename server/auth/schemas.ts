import type { JSONSchemaType } from 'ajv';
import { formValidator } from '../http/validation.js';
import { MIN_PASSWORD_LENGTH } from './passwords.js';
import { ROLES, type Role } from './policy.js';

export interface LoginForm {
  username: string;
  password: string;
  next?: string;
}
export const validateLogin = formValidator<LoginForm>({
  type: 'object',
  properties: {
    username: { type: 'string', maxLength: 100 },
    password: { type: 'string', maxLength: 200 },
    next: { type: 'string', maxLength: 500, nullable: true },
  },
  required: ['username', 'password'],
} as JSONSchemaType<LoginForm>);

export interface PasswordForm {
  current: string;
  next: string;
  confirm: string;
}
export const validatePasswordChange = formValidator<PasswordForm>({
  type: 'object',
  properties: {
    current: { type: 'string', maxLength: 200 },
    next: { type: 'string', minLength: MIN_PASSWORD_LENGTH, maxLength: 200 },
    confirm: { type: 'string', maxLength: 200 },
  },
  required: ['current', 'next', 'confirm'],
});

export interface StaffForm {
  username: string;
  displayName: string;
  role: Role;
  email?: string;
  /** A unit contact's unit codes, comma-separated. */
  units?: string;
}

/** "SYT, stc ,SXD" → ["SYT", "STC", "SXD"]: unit codes as the staff form takes them (units' codes are upper case). */
export function unitCodesOf(units: string | undefined): string[] {
  return [...new Set((units ?? '').split(',').map((u) => u.trim().toUpperCase()).filter(Boolean))];
}
/** An e-mail address as staff accounts take it: something@somewhere.tld, no spaces. */
export const EMAIL_PATTERN = '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$';

export const validateStaff = formValidator<StaffForm>(
  {
    type: 'object',
    properties: {
      username: { type: 'string', pattern: '^[a-z0-9._-]{3,40}$' },
      displayName: { type: 'string', minLength: 1, maxLength: 120 },
      role: { type: 'string', enum: [...ROLES] },
      email: { type: 'string', nullable: true, maxLength: 200, pattern: `^$|${EMAIL_PATTERN}` },
      units: { type: 'string', nullable: true, maxLength: 500, pattern: '^\\s*([A-Za-z0-9][A-Za-z0-9_-]{0,31}\\s*(,\\s*|$))*$' },
    },
    required: ['username', 'displayName', 'role'],
  } as JSONSchemaType<StaffForm>,
  { username: 'field.username', email: 'field.email', units: 'staff.unitsBad' },
);
