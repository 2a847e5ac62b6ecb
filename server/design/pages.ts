import type { Request } from 'express';
import { requirePermission } from '../auth/index.js';
import { can } from '../auth/policy.js';
import type { Db } from '../db/client.js';
import { notFound } from '../http/errors.js';
import type { Logger } from '../logger.js';
import type { Catalog, CatalogProblem } from '../questionnaires/index.js';
import type { VersionKind } from './queries.js';
import * as design from './service.js';

/** What every page of the designer shares: storage, catalogue, permissions and how a version is found. */
export function designerPages(db: Db, catalog: Catalog, options: { chromiumPath?: string; logger: Logger }) {
  const view = requirePermission('design.view');
  const edit = requirePermission('design.edit');
  const approve = requirePermission('design.approve');
  const kindOf = (req: Request): VersionKind => {
    const kind = String(req.params.kind);
    if (kind !== 'questionnaire' && kind !== 'methodology') throw notFound();
    return kind;
  };
  const versionOf = async (req: Request, kind: VersionKind = kindOf(req)) => {
    const found = await design.findDesign(db, catalog, kind, String(req.params.key));
    if (!found) throw notFound('designer.notFound');
    return found;
  };
  const mayEdit = (req: Request, status: design.VersionStatus) => status === 'draft' && can(req.staff!.role, 'design.edit');
  const problemList = (problems: CatalogProblem[]) => problems.map((p) => ({ where: `${p.file} ${p.path}`, message: p.message }));
  return { db, catalog, options, view, edit, approve, kindOf, versionOf, mayEdit, problemList };
}

export type DesignerPages = ReturnType<typeof designerPages>;
