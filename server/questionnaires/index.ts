export { catalogOf, checkSurveyDocuments, loadCatalog, loadMethodology, methodologyWarnings, shippedCatalog, installSurveySchemas, currentPins, blockQuestionnaire, CatalogError, questionnaireKey, type Catalog, type CatalogProblem, type CheckedDocuments, type SurveyDocument } from './catalog.js';
export { answerCodes, answerSchema, isAsked, questionsOf } from './answer-schema.js';
export type { Block, DisplayRule, Methodology, Questionnaire, Question, Indicator, Text, TierScheme } from './types.js';
export { DONT_KNOW } from './types.js';
export { minutesToAnswer } from './time.js';
