import express, { type Express } from 'express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { nanoid } from 'nanoid';
import { auditRoutes } from './audit/index.js';
import { designRoutes, pinnedVersions } from './design/index.js';
import { authRoutes, carriesSession, passwordChangeGate, requirePermission, sessionMiddleware } from './auth/index.js';
import { listCampaigns } from './campaigns/index.js';
import { campaignRoutes } from './workflow/index.js';
import { approvalKey, memberKeysGate, sealingRoutes, UnsealingRegistry } from './sealing/index.js';
import { codeKeys, samplingRoutes, unitListRoutes } from './sampling/index.js';
import { countInvitations, createMailer, createSmsGateway, invitationRoutes } from './invitations/index.js';
import { shippedCatalog, type Catalog } from './questionnaires/index.js';
import { responseRoutes, transparencyRoutes } from './responses/index.js';
import { publicationRoutes, publishedFigures, unsealingStatus } from './publication/index.js';
import { staffNotices, type StaffNotices } from './notices/index.js';
import { reportRoutes } from './reports/routes.js';
import { mixingKey, submissionKey } from './sealing/index.js';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { csrfProtection } from './http/csrf.js';
import { errorHandler, HttpError, notFoundHandler, RETRY_AFTER_SECONDS } from './http/errors.js';
import { carriesFlash, flashMiddleware } from './http/flash.js';
import { formBodies, refuseUnsafeText } from './http/forms.js';
import { languageMiddleware } from './http/i18n.js';
import './http/types.js';
import { configureViews } from './http/views.js';
import type { Logger } from './logger.js';
import { fromRoot } from './paths.js';

export interface AppDeps {
  config: Config;
  database: Database;
  logger: Logger;
  /** The questionnaires and methodology (default: survey-schemas/, checked at start). */
  catalog?: Catalog;
}

export interface App {
  app: Express;
  /** The committee's approvals of unsealing (sealed shares, shared by every instance through the database). */
  unsealing: UnsealingRegistry;
  /** E-mails to staff about their to-dos (sent in the background). */
  notices: StaffNotices;
  /** Set on SIGTERM: new requests get 503 while open ones finish. */
  startDraining(): void;
}

export function createApp({ config, database, logger, catalog = shippedCatalog() }: AppDeps): App {
  const app = express();
  const { db } = database;
  let draining = false;
  const unsealing = new UnsealingRegistry(db, approvalKey(config.hmacSecret), config.unsealShareTtlMinutes * 60_000);

  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  configureViews(app);

  // Each request is logged at info; with that level off a request costs only its id, the reference an error shows.
  app.use(
    logger.isLevelEnabled('info')
      ? pinoHttp({
          logger,
          genReqId: () => nanoid(10),
          autoLogging: { ignore: (req) => req.url === '/healthz' || req.url?.startsWith('/assets/') === true },
          // Only the method and path: query strings may hold tokens, bodies hold answers.
          serializers: {
            req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
            res: (res: { statusCode: number }) => ({ status: res.statusCode }),
          },
        })
      : (req, _res, next) => {
          req.id = nanoid(10);
          req.log = logger;
          next();
        },
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          ...(config.cookieSecure ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      hsts: config.cookieSecure,
    }),
  );
  app.use('/assets', express.static(fromRoot('views', 'assets'), { maxAge: '1h', index: false }));
  app.use('/assets', express.static(fromRoot('reports', 'assets'), { maxAge: '1h', index: false }));
  const { branding } = config;
  if (branding.emblemPath) {
    const emblem = branding.emblemPath;
    app.get('/brand/emblem', (_req, res) => res.set('Cache-Control', 'public, max-age=3600').sendFile(emblem));
  }
  const brand = { ...branding, emblem: Boolean(branding.emblemPath) };
  app.use((_req, res, next) => {
    res.locals.brand = brand;
    next();
  });
  app.use('/assets/vendor', express.static(fromRoot('node_modules', 'chart.js', 'dist'), { maxAge: '1d', index: false }));
  // Tinos: the metrics of Times New Roman, which Decree 30/2020 asks of official documents, with Vietnamese (docs/design.md §8).
  app.use('/assets/vendor/tinos', express.static(fromRoot('node_modules', '@fontsource', 'tinos'), { maxAge: '30d', index: false }));
  app.use('/assets/vendor/error-bars', express.static(fromRoot('node_modules', 'chartjs-chart-error-bars', 'build'), { maxAge: '1d', index: false }));
  // Past the static assets, every page and download is its reader's own — access codes in letters and
  // mail-merge files, tax codes and names in a frame's errors, sealed results, receipts — so nothing is
  // kept by a browser or a proxy unless a route says otherwise (the published documents do).
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use(cookieParser(config.sessionSecret));
  app.use(languageMiddleware(config.cookieSecure));
  app.use((_req, res, next) => {
    if (!draining) return next();
    res.set('Connection', 'close');
    next(new HttpError(503, 'error.503'));
  });

  const mailer = createMailer(config.smtpUrl, config.mailFrom);
  const notices = staffNotices(db, mailer, config.publicUrl, logger);
  const publication = { db, catalog, registry: unsealing, logger, notify: notices.send };
  const reports = reportRoutes(publication, config);
  // Announcement day: a reader with no session and no notice gets the published pages and files — the same
  // bytes for everyone, made once — before the forms, session and CSRF machinery, which they do not need.
  const anonymousRead = (req: express.Request) => (req.method === 'GET' || req.method === 'HEAD') && req.path.startsWith('/campaigns/') && !carriesSession(req) && !carriesFlash(req);
  app.use((req, res, next) => (anonymousRead(req) ? reports.published(req, res, next) : next()));

  app.get('/healthz', async (_req, res) => {
    try {
      await database.ping();
      res.json({ status: 'ok', database: { kind: database.kind, status: 'ok' } });
    } catch (err) {
      logger.warn({ err }, 'health check: database unreachable');
      res.status(503).set('Retry-After', String(RETRY_AFTER_SECONDS)).json({ status: 'unavailable', database: { kind: database.kind, status: 'unreachable' } });
    }
  });

  app.use(formBodies({ limit: '100kb', parameterLimit: 500 }));
  app.use(express.json({ limit: '100kb' }));
  app.use(refuseUnsafeText);
  app.use(sessionMiddleware(db, config.sessionTtlMinutes));
  app.use(csrfProtection(config.sessionSecret, config.cookieSecure));
  app.use(flashMiddleware);
  app.use(passwordChangeGate);
  app.use(memberKeysGate(db));

  const mixKey = mixingKey(config.hmacSecret);
  const keys = codeKeys(config.hmacSecret);
  // The businesses' forms first: in fieldwork they are most of the requests, and each router before them is
  // walked route by route.
  app.use(responseRoutes({ db, catalog, codeKeys: keys, submissionKey: submissionKey(config.hmacSecret), mixKey, logger }, config));
  app.use(campaignRoutes(db, mixKey, async (campaignId) => (await unsealing.approvers(campaignId)).length, notices.send));
  app.use(sealingRoutes(db, config, unsealing, (campaignId) => unsealingStatus(db, campaignId)));
  app.use(publicationRoutes(publication, config));
  app.use(reports.router);
  app.use(
    samplingRoutes(db, config, logger, (campaignId) => countInvitations(db, campaignId), async (campaignId) => {
      const found = await publishedFigures(db, campaignId);
      return found && found.results.result.units.map((u) => ({ unit: u.unit, respondents: u.respondents, composite: u.composite, compositeCi: u.compositeCi }));
    }),
  );
  app.use(unitListRoutes(db, config, logger));
  app.use(invitationRoutes(db, config, keys, mailer, logger, createSmsGateway(config.smsUrl, { token: config.smsToken })));
  app.use(designRoutes(db, catalog, { chromiumPath: config.chromiumPath, logger }));
  app.use(transparencyRoutes(db, (version) => pinnedVersions(catalog, version)));
  app.use(authRoutes(db, config));
  app.use(auditRoutes(db, requirePermission('audit.read'), async () => (await listCampaigns(db)).map((c) => ({ id: c.id, title: c.title }))));

  app.use(notFoundHandler);
  app.use(errorHandler(logger));

  return {
    app,
    unsealing,
    notices,
    startDraining: () => {
      draining = true;
    },
  };
}
