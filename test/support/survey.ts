import type { Browser } from './app.js';
import { randomAnswers, readSurveyForm, seededRandom, type AnswerSchema, type FormFields } from '../../server/responses/simulate.js';

/** What a form page carries: its nonce and the answer schema it embeds. */
export const formOf = readSurveyForm;

let seed = 1;

/** Opens a unit's form and sends answers (random valid ones unless given); returns the response and what was sent. */
export async function answerUnit(browser: Browser, unitCode: string, make?: (schema: AnswerSchema) => FormFields) {
  const page = await browser.get(`/survey/units/${unitCode}`);
  if (page.status !== 200) throw new Error(`form of ${unitCode}: ${page.status}`);
  const { nonce, schema } = formOf(page.text);
  const fields = make ? make(schema) : randomAnswers(schema, seededRandom(seed++));
  const res = await browser.post(`/survey/units/${unitCode}`, { _nonce: nonce, ...fields });
  return { res, nonce, fields, schema };
}

export async function startSurvey(browser: Browser, code: string) {
  const res = await browser.post('/survey', { code });
  if (res.status !== 303) throw new Error(`code refused: ${res.status}`);
  return res;
}
