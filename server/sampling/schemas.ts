import type { JSONSchemaType } from 'ajv';
import { formValidator } from '../http/validation.js';
import type { DesignParams } from './design.js';

/** The design form speaks in percentages and check boxes; DesignParams in fractions and booleans. */
export interface DesignForm {
  marginOfError: number;
  confidence: number;
  responseRate: number;
  minPerUnit: number;
  maxPerUnit: number;
  allocation: 'proportional' | 'neyman';
  bySizeBand?: string;
  reserveRatio: number;
}

export const validateDesignForm = formValidator<DesignForm>({
  type: 'object',
  properties: {
    marginOfError: { type: 'number', minimum: 1, maximum: 30 },
    confidence: { type: 'number', enum: [90, 95, 99] },
    responseRate: { type: 'number', minimum: 5, maximum: 100 },
    minPerUnit: { type: 'integer', minimum: 1, maximum: 100000 },
    maxPerUnit: { type: 'integer', minimum: 1, maximum: 100000 },
    allocation: { type: 'string', enum: ['proportional', 'neyman'] },
    bySizeBand: { type: 'string', nullable: true, maxLength: 10 },
    reserveRatio: { type: 'number', minimum: 0, maximum: 5 },
  },
  required: ['marginOfError', 'confidence', 'responseRate', 'minPerUnit', 'maxPerUnit', 'allocation', 'reserveRatio'],
} as JSONSchemaType<DesignForm>);

export function designFromForm(form: DesignForm): DesignParams {
  return {
    marginOfError: form.marginOfError / 100,
    confidence: form.confidence / 100,
    expectedResponseRate: form.responseRate / 100,
    minPerUnit: form.minPerUnit,
    maxPerUnit: form.maxPerUnit,
    allocation: form.allocation,
    bySizeBand: form.bySizeBand !== undefined,
    reserveRatio: form.reserveRatio,
  };
}

export interface SeedForm {
  seed?: string;
  publicSource?: string;
}
export const validateSeed = formValidator<SeedForm>({
  type: 'object',
  properties: {
    seed: { type: 'string', maxLength: 200, nullable: true },
    publicSource: { type: 'string', maxLength: 300, nullable: true },
  },
  required: [],
} as JSONSchemaType<SeedForm>);

export interface DrawForm {
  publicValue?: string;
}
export const validateDraw = formValidator<DrawForm>({
  type: 'object',
  properties: { publicValue: { type: 'string', maxLength: 200, nullable: true } },
  required: [],
} as JSONSchemaType<DrawForm>);
