export { createCampaign, addUnit, setCommittee, setCommitteeMembers, importUnits } from './service.js';
export { STATES, checkTransition, nextState, type CampaignState, type CampaignFacts } from './lifecycle.js';
export { listCampaigns } from './queries.js';
