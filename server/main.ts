import { once } from 'node:events';
import { createApp } from './app.js';
import { deleteExpiredSessions } from './auth/index.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase } from './db/client.js';
import { claimSecrets, secretMismatchMessage } from './db/secret-checks.js';
import { printDemoAccounts, seedDemoIfEmpty } from './demo/seed.js';
import { installApprovedVersions } from './design/index.js';
import { createLogger } from './logger.js';
import { failInterruptedImports } from './sampling/index.js';
import { failRunningRuns } from './publication/index.js';
import { CatalogError, installSurveySchemas, shippedCatalog } from './questionnaires/index.js';
import { closePrinter } from './reports/browser.js';

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(error.message + '\nSee .env.example for every variable.\n');
      process.exit(1);
    }
    throw error;
  }
}

/** The questionnaires and the methodology must be valid before anything is served. */
function catalogOrExit(): void {
  try {
    shippedCatalog();
  } catch (error) {
    if (error instanceof CatalogError) {
      process.stderr.write(error.message + '\nFix the file(s) above; `npx ddci schemas check` re-checks them.\n');
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  if (config.surveySchemasDir) installSurveySchemas(config.surveySchemasDir);
  catalogOrExit();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    onIdleError: (err) => logger.warn({ err }, 'database connection lost; the pool will reconnect'),
  });
  await database.migrate();
  const foreign = await claimSecrets(database.db, { HMAC_SECRET: config.hmacSecret, SESSION_SECRET: config.sessionSecret });
  if (foreign.length) {
    process.stderr.write(secretMismatchMessage(foreign) + '\n');
    await database.close();
    process.exit(1);
  }
  logger.info({ database: database.kind }, 'database ready');
  await installApprovedVersions(database.db, shippedCatalog()); // the province's approved designs, beside the shipped files
  const interrupted = await failInterruptedImports(database.db);
  if (interrupted) logger.warn({ interrupted }, 'frame imports interrupted by the last stop were marked failed');
  const runs = await failRunningRuns(database.db); // silent runs: their instance died, and its decrypted data with it
  if (runs) logger.warn({ runs }, 'unsealing runs interrupted by the last stop were marked failed');

  if (config.seedDemo) {
    const seeded = await seedDemoIfEmpty(database.db, { dataDir: config.dataDir, hmacSecret: config.hmacSecret, logger });
    if (seeded) printDemoAccounts(seeded, config.publicUrl);
  }

  const { app, startDraining } = createApp({ config, database, logger });
  const server = app.listen(config.port, config.host);
  await once(server, 'listening');
  logger.info({ url: config.publicUrl }, 'DDCI platform listening');

  const housekeeping = setInterval(() => {
    deleteExpiredSessions(database.db, new Date()).catch((err) => logger.warn({ err }, 'session clean-up failed'));
  }, 15 * 60_000);
  housekeeping.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining: refusing new requests, finishing open ones');
    startDraining();
    clearInterval(housekeeping);
    const force = setTimeout(() => server.closeAllConnections(), config.shutdownGraceSeconds * 1000);
    force.unref();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all([database.close(), closePrinter()]);
    logger.info('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`DDCI platform failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
