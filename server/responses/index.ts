export { responseRoutes } from './routes.js';
export { transparencyRoutes } from './transparency.js';
export { responseService, RESPONSE_MODES, type ResponseMode, type SurveyContext } from './service.js';
export { answersFromForm, checkAnswers, type Answers } from './answers.js';
