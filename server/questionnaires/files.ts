import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { installedSchemasRoot, questionnaireKey } from './catalog.js';
import type { WorkbookDocuments } from './workbook.js';

/** `department-2027.1, methodology 2027.1`: what a workbook held, in a line. */
export const describeDocuments = (documents: WorkbookDocuments) =>
  [documents.questionnaire && questionnaireKey(documents.questionnaire), documents.methodology && `methodology ${documents.methodology.version}`].filter(Boolean).join(', ');

/**
 * Writes documents into a survey-schemas folder as the installation's files are laid out (so that
 * `ddci schemas check --dir` and SURVEY_SCHEMAS_DIR read it), copying the meta-schemas in when missing.
 * Returns the files written, relative to the folder.
 */
export function writeSurveySchemas(root: string, documents: WorkbookDocuments): string[] {
  mkdirSync(path.join(root, 'questionnaires'), { recursive: true });
  if (!existsSync(path.join(root, 'meta'))) cpSync(path.join(installedSchemasRoot(), 'meta'), path.join(root, 'meta'), { recursive: true });
  const written: string[] = [];
  if (documents.questionnaire) {
    const file = `questionnaires/${questionnaireKey(documents.questionnaire)}.json`;
    writeFileSync(path.join(root, file), JSON.stringify({ $schema: '../meta/questionnaire.schema.json', ...documents.questionnaire }, null, 2) + '\n');
    written.push(file);
  }
  if (documents.methodology) {
    const file = `methodology-${documents.methodology.version}.json`;
    writeFileSync(path.join(root, file), JSON.stringify({ $schema: 'meta/methodology.schema.json', ...documents.methodology }, null, 2) + '\n');
    written.push(file);
  }
  return written;
}
