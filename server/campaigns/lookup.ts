import type { Request } from 'express';
import type { Db } from '../db/client.js';
import { notFound } from '../http/errors.js';
import { findCampaign } from './queries.js';

/** The campaign a route's `:id` names, or the "no such campaign" page. */
export const campaignLookup = (db: Db) => async (req: Request) => {
  const campaign = await findCampaign(db, String(req.params.id));
  if (!campaign) throw notFound('campaigns.notFound');
  return campaign;
};
