export { campaignRoutes } from './routes.js';
export { stageChecklist, transition, type TransitionOptions } from './transition.js';
