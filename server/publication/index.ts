export { publicationRoutes, unsealingStatus } from './routes.js';
export { startUnsealing, readSealedResults, publish, publishedFigures, publishedResults, verifyPublication, failRunningRuns, type PublicationContext } from './service.js';
