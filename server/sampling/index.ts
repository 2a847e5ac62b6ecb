export { samplingRoutes } from './routes.js';
export { failInterruptedImports } from './queries.js';
export { codeKeys, type CodeKeys } from './access-codes.js';
export { unitListRoutes } from './list-routes.js';
