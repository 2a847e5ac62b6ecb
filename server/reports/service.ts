import type { Db } from '../db/client.js';
import { ratesByUnit } from '../invitations/queries.js';
import { findPlan, type StoredDesign } from '../sampling/plan.js';
import type { AppendixFacts } from './model.js';

/** The response facts of the appendix: frame and sample from the recorded design, invited and answered from the flags. */
export async function appendixFacts(db: Db, campaignId: string): Promise<AppendixFacts> {
  const design = (await findPlan(db, campaignId))?.design as StoredDesign | null | undefined;
  const rates = await ratesByUnit(db, campaignId);
  const codes = new Set([...(design?.plans ?? []).map((p) => p.unitCode), ...rates.map((r) => r.unitCode)]);
  return {
    units: [...codes].map((code) => {
      const plan = design?.plans.find((p) => p.unitCode === code);
      const rate = rates.find((r) => r.unitCode === code);
      return { code, frame: plan?.frameSize ?? 0, sample: plan?.planned ?? 0, invited: rate?.invited ?? 0, answered: rate?.answered ?? 0 };
    }),
  };
}
