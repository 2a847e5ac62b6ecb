export { loadCatalog, loadMethodology, methodologyWarnings, shippedCatalog, installSurveySchemas, currentPins, blockQuestionnaire, CatalogError, questionnaireKey, type Catalog, type CatalogProblem } from './catalog.js';
export { answerSchema, questionsOf } from './answer-schema.js';
export type { Block, Methodology, Questionnaire, Question, Indicator, Text, TierScheme } from './types.js';
export { DONT_KNOW } from './types.js';
