export { loadCatalog, loadMethodology, shippedCatalog, currentPins, CatalogError, questionnaireKey, type Catalog, type CatalogProblem } from './catalog.js';
export { answerSchema, questionsOf } from './answer-schema.js';
export type { Methodology, Questionnaire, Question, Indicator, Text } from './types.js';
export { DONT_KNOW } from './types.js';
