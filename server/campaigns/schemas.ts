import type { JSONSchemaType } from 'ajv';
import { formValidator } from '../http/validation.js';

export const UNIT_CODE_PATTERN = '^[A-Z0-9][A-Z0-9_-]{0,31}$';
export const UNIT_NAME_MAX = 200;

export interface CampaignForm {
  province: string;
  year: number;
  title: string;
  /** An installed methodology version; the newest when absent. */
  methodologyVersion?: string;
}
export const validateCampaign = formValidator<CampaignForm>({
  type: 'object',
  properties: {
    province: { type: 'string', minLength: 1, maxLength: 100 },
    year: { type: 'integer', minimum: 2000, maximum: 2100 },
    title: { type: 'string', minLength: 1, maxLength: 200 },
    methodologyVersion: { type: 'string', pattern: '^[0-9]{4}\\.[0-9]{1,3}$', nullable: true },
  },
  required: ['province', 'year', 'title'],
} as JSONSchemaType<CampaignForm>);

export interface UnitForm {
  code: string;
  /** Checked against the campaign's methodology by the service. */
  block: string;
  nameVi: string;
  nameEn: string;
}
export const validateUnit = formValidator<UnitForm>(
  {
    type: 'object',
    properties: {
      code: { type: 'string', pattern: UNIT_CODE_PATTERN },
      block: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,31}$' },
      nameVi: { type: 'string', minLength: 1, maxLength: UNIT_NAME_MAX },
      nameEn: { type: 'string', minLength: 1, maxLength: UNIT_NAME_MAX },
    },
    required: ['code', 'block', 'nameVi', 'nameEn'],
  } as JSONSchemaType<UnitForm>,
  { code: 'field.unitCode' },
);

/** The report's official header; empty fields fall back to the province's People's Committee and the campaign title. */
export interface ReportHeaderForm {
  issuer?: string;
  title?: string;
}
export const validateReportHeader = formValidator<ReportHeaderForm>({
  type: 'object',
  properties: {
    issuer: { type: 'string', maxLength: 200, nullable: true },
    title: { type: 'string', maxLength: 300, nullable: true },
  },
} as JSONSchemaType<ReportHeaderForm>);

export interface LetterForm {
  deadline?: string;
  hotline?: string;
  signerTitle?: string;
  signerName?: string;
  recipients?: string;
}
export const validateLetter = formValidator<LetterForm>({
  type: 'object',
  properties: {
    deadline: { type: 'string', nullable: true, pattern: '^(|\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01]))$' },
    hotline: { type: 'string', maxLength: 100, nullable: true },
    signerTitle: { type: 'string', maxLength: 300, nullable: true },
    signerName: { type: 'string', maxLength: 100, nullable: true },
    recipients: { type: 'string', maxLength: 1000, nullable: true },
  },
} as JSONSchemaType<LetterForm>, { deadline: 'field.date' });

export const MAX_COMMITTEE = 50;
export interface CommitteeForm {
  size: number;
  threshold: number;
}
export const validateCommittee = formValidator<CommitteeForm>({
  type: 'object',
  properties: {
    size: { type: 'integer', minimum: 2, maximum: MAX_COMMITTEE },
    threshold: { type: 'integer', minimum: 2, maximum: MAX_COMMITTEE },
  },
  required: ['size', 'threshold'],
});
