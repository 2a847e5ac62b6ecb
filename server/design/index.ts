export { designRoutes, workbookProblemText } from './routes.js';
export { approveMethodology, documentHash, importDocuments, installApprovedVersions, pinnedVersions, saveDraft, startVersion, type ApprovalRecord } from './service.js';
