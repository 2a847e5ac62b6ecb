import { Command, CommanderError } from 'commander';
import { verifyAuditLog } from '../audit/index.js';
import { createStaff, EMAIL_PATTERN, issueOneTimePassword, ROLES, type Role } from '../auth/index.js';
import { createApp } from '../app.js';
import { ConfigError, loadConfig, variableDocs, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/client.js';
import { seedDemoIfEmpty } from '../demo/seed.js';
import { createLogger } from '../logger.js';
import { verifySample } from '../sampling/verify.js';
import { simulate } from './simulate.js';
import { verifyPublication } from '../publication/index.js';
import { CatalogError, loadCatalog, loadMethodology, methodologyWarnings, questionsOf, shippedCatalog, type Methodology, type Questionnaire } from '../questionnaires/index.js';
import { readWorkbook, writeWorkbook } from '../questionnaires/workbook.js';
import { describeDocuments, writeSurveySchemas } from '../questionnaires/files.js';
import { findDesign, importDocuments, knownQuestionnaires } from '../design/service.js';
import { translate } from '../i18n/index.js';
import { ChromiumMissing, closePrinter } from '../reports/browser.js';
import { reportData, reportPdf } from '../reports/document.js';
import { rankingTables, scoreMicrodataFile } from './score.js';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { backupDatabase, backupSecretChecks, restoreDatabase, BackupError } from '../db/backup.js';
import { mismatchedSecrets, secretMismatchMessage } from '../db/secret-checks.js';
import { DatabaseBusyError } from '../db/owner.js';
import { restoredCounts } from '../db/counts.js';

export interface CliIo {
  env: Record<string, string | undefined>;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Runs `ddci …` and returns the exit code; `main.ts` wires it to the process, tests call it directly. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const withDatabase = async (work: (database: Database, config: Config) => Promise<number>): Promise<void> => {
    const config = loadConfig(io.env);
    const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
    try {
      await database.migrate();
      exitCode = await work(database, config);
    } finally {
      await database.close();
    }
  };

  /** Prints a verification's ✓/✗ lines and its verdict (to stderr when it fails); the exit code. */
  const verdict = (report: { ok: boolean; lines: string[] }, verified: string, failed: string): number => {
    (report.ok ? io.out : io.err)(`${report.lines.join('\n')}\n${report.ok ? verified : failed}\n`);
    return report.ok ? 0 : 1;
  };

  const program = new Command('ddci')
    .description('DDCI survey platform — command line')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .addHelpText(
      'after',
      '\nConfiguration comes from the environment:\n' +
        Object.entries(variableDocs)
          .map(([name, doc]) => `  ${name.padEnd(26)} ${doc}`)
          .join('\n'),
    );

  program
    .command('migrate')
    .description('apply pending database migrations (the app also does this at start)')
    .action(() =>
      withDatabase(async (database) => {
        io.out(`migrations applied (${database.kind})\n`);
        return 0;
      }),
    );

  const audit = program.command('audit').description('the hash-chained audit log');
  audit
    .command('verify')
    .description('check the audit chain end to end; exits 1 naming the first broken entry')
    .action(() =>
      withDatabase(async ({ db }) => {
        const result = await verifyAuditLog(db);
        if (result.ok) {
          io.out(`audit log intact: ${result.count} entries verified\n`);
          return 0;
        }
        io.err(
          `audit log BROKEN at entry #${result.seq} (${result.reason}): expected ${result.expected}, found ${result.found}; ` +
            `${result.count} entries before it verified\n`,
        );
        return 1;
      }),
    );

  program
    .command('backup')
    .description('write a backup of the whole database: pg_dump for a server, a data-directory archive for the embedded one (stop the app first)')
    .requiredOption('--out <file>', 'the backup file to write')
    .action(async (options: { out: string }) => {
      const config = loadConfig(io.env);
      const kind = await backupDatabase({ url: config.databaseUrl, dataDir: config.dataDir }, options.out);
      io.out(
        `backup of the ${kind === 'postgres' ? 'PostgreSQL' : 'embedded'} database written to ${options.out} (${statSync(options.out).size.toLocaleString('en')} bytes)\n` +
          `It holds no server secret: keep HMAC_SECRET and SESSION_SECRET (or DATA_DIR/secrets.json) apart from it — a restore needs the same ones.\n`,
      );
    });

  program
    .command('restore')
    .description('restore a backup into an empty database, migrate it, and verify its audit chain')
    .requiredOption('--from <file>', 'a file written by `ddci backup`')
    .action(async (options: { from: string }) => {
      const dataDir = io.env.DATA_DIR ?? './data';
      if (!io.env.HMAC_SECRET && !existsSync(path.join(dataDir, 'secrets.json'))) {
        io.err(`the restored database needs the secrets it was made with: set HMAC_SECRET and SESSION_SECRET, or copy secrets.json from the old DATA_DIR into ${dataDir} first\n`);
        exitCode = 1;
        return;
      }
      const config = loadConfig(io.env);
      const secrets = { HMAC_SECRET: config.hmacSecret, SESSION_SECRET: config.sessionSecret };
      const checks = await backupSecretChecks(options.from);
      const foreign = checks ? mismatchedSecrets(checks, secrets) : [];
      if (foreign.length) {
        io.err(`ddci restore: refused, nothing was written. ${secretMismatchMessage(foreign)}\n`);
        exitCode = 1;
        return;
      }
      if (!checks) io.err('this backup was made before secrets were checked: make sure HMAC_SECRET and SESSION_SECRET are the ones it was made with\n');
      const kind = await restoreDatabase({ url: config.databaseUrl, dataDir: config.dataDir }, options.from);
      await withDatabase(async ({ db }) => {
        const audit = await verifyAuditLog(db);
        const counts = await restoredCounts(db);
        io.out(`restored into the ${kind === 'postgres' ? 'PostgreSQL' : 'embedded'} database: ${counts.campaigns} campaigns, ${counts.responses} stored responses, ${counts.audit} audit entries\n`);
        if (!audit.ok) {
          io.err(`audit log BROKEN at entry #${audit.seq} (${audit.reason}) after the restore\n`);
          return 1;
        }
        io.out(`audit log intact: ${audit.count} entries verified\n`);
        return 0;
      });
    });

  const staff = program.command('staff').description('staff accounts');
  staff
    .command('create')
    .description('create an account and print its one-time password (shown once)')
    .argument('<username>', 'lower-case login name')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .requiredOption('--name <displayName>', 'full name')
    .option('--email <address>', 'where notices of the account’s to-dos go (when SMTP_URL is set)')
    .action((username: string, options: { role: string; name: string; email?: string }) =>
      withDatabase(async ({ db }) => {
        if (!(ROLES as readonly string[]).includes(options.role)) {
          io.err(`unknown role "${options.role}"; use one of ${ROLES.join(', ')}\n`);
          return 2;
        }
        if (options.email !== undefined && !new RegExp(EMAIL_PATTERN).test(options.email)) {
          io.err(`"${options.email}" is not an e-mail address\n`);
          return 2;
        }
        const created = await createStaff(db, 'cli', { username, displayName: options.name, role: options.role as Role, email: options.email });
        if (!created.ok) {
          io.err(`the username "${username}" is taken\n`);
          return 1;
        }
        io.out(`${username}: one-time password ${created.oneTimePassword}\n`);
        return 0;
      }),
    );
  staff
    .command('reset-password')
    .description('replace an account password with a one-time password (shown once)')
    .argument('<username>')
    .action((username: string) =>
      withDatabase(async ({ db }) => {
        const password = await issueOneTimePassword(db, 'cli', username);
        if (!password) {
          io.err(`no account "${username}"\n`);
          return 1;
        }
        io.out(`${username}: one-time password ${password}\n`);
        return 0;
      }),
    );

  const schemas = program.command('schemas').description('questionnaires, methodology and their meta-schemas');
  schemas
    .command('check')
    .description('validate every file under survey-schemas/ (or --dir); exit 1 naming file, path and problem')
    .option('--dir <folder>', 'a survey-schemas folder to check instead of the installed one')
    .action((options: { dir?: string }) => {
      try {
        const catalog = loadCatalog(options.dir);
        for (const [key, q] of catalog.questionnaires) io.out(`✓ ${key}: ${questionsOf(q).length} questions\n`);
        for (const m of catalog.methodologies.values()) {
          io.out(`✓ methodology ${m.version}: ${m.pillars.length} pillars, ${m.indicators.length} indicators, blocks ${m.blocks.map((b) => `${b.code} (${b.questionnaire})`).join(', ')}\n`);
          for (const warning of methodologyWarnings(m)) io.out(`! methodology ${m.version}: ${warning}\n`);
        }
      } catch (error) {
        if (!(error instanceof CatalogError)) throw error;
        io.err(error.message + '\n');
        exitCode = 1;
      }
    });

  const questionnaires = program.command('questionnaires').description('questionnaires and methodologies as XLSForm-shaped workbooks (docs/designer.md §3)');
  questionnaires
    .command('import')
    .description('read a workbook; with --out write its documents into a survey-schemas folder, else store them as drafts in the database')
    .requiredOption('--xlsx <file>', 'the workbook')
    .option('--out <folder>', 'a survey-schemas folder to write the JSON files into (created with its meta-schemas when missing)')
    .action(async (options: { xlsx: string; out?: string }) => {
      const catalog = shippedCatalog();
      const refused = (read: { problems: { problem: string }[] }) => {
        io.err(`${options.xlsx}: ${read.problems.length} problem(s), nothing imported\n${read.problems.map((p) => `  - ${p.problem}`).join('\n')}\n`);
        return 1;
      };
      if (options.out) {
        const read = await readWorkbook(readFileSync(options.xlsx), catalog);
        if (read.problems.length) exitCode = refused(read);
        else for (const file of writeSurveySchemas(options.out, read)) io.out(`✓ ${file}\n`);
        return;
      }
      await withDatabase(async ({ db }) => {
        const read = await readWorkbook(readFileSync(options.xlsx), { questionnaires: await knownQuestionnaires(db, catalog) });
        if (read.problems.length) return refused(read);
        const stored = await importDocuments(db, catalog, { username: 'cli' }, read);
        if (!stored.ok) {
          io.err(`${'problems' in stored ? stored.problems.map((p) => `  - ${p.file} ${p.path}: ${p.problem}`).join('\n') : translate('en', stored.error.key, stored.error.params)}\n`);
          return 1;
        }
        io.out(`stored as drafts: ${describeDocuments(read)}\n`);
        return 0;
      });
    });
  questionnaires
    .command('export')
    .description('write a questionnaire (or, with --id methodology, a methodology) as a workbook')
    .requiredOption('--id <id>', 'the questionnaire id (department, commune…), or methodology')
    .requiredOption('--version <version>', 'its version, e.g. 2026.1')
    .requiredOption('--xlsx <file>', 'the workbook to write')
    .action((options: { id: string; version: string; xlsx: string }) =>
      withDatabase(async ({ db }) => {
        const kind = options.id === 'methodology' ? 'methodology' : 'questionnaire';
        const found = await findDesign(db, shippedCatalog(), kind, kind === 'methodology' ? options.version : `${options.id}-${options.version}`);
        if (!found) {
          io.err(`no ${kind} ${options.id} ${options.version}\n`);
          return 1;
        }
        writeFileSync(options.xlsx, await writeWorkbook(kind === 'methodology' ? { methodology: found.document as Methodology } : { questionnaire: found.document as Questionnaire }));
        io.out(`✓ ${options.xlsx}\n`);
        return 0;
      }),
    );

  const sample = program.command('sample').description('the sampling draw');
  sample
    .command('verify')
    .description('re-draw a campaign sample from the frame file and the revealed seed; exit 1 if anything published differs')
    .requiredOption('--campaign <id>', 'campaign id')
    .requiredOption('--frame <file>', 'the frame file (.csv or .xlsx) that was imported')
    .requiredOption('--seed <seed>', 'the seed revealed after the draw')
    .option('--public-value <value>', 'the public random value mixed in (default: the published one)')
    .action((options: { campaign: string; frame: string; seed: string; publicValue?: string }) =>
      withDatabase(async ({ db }) => {
        const report = await verifySample(db, { campaignId: options.campaign, frameFile: options.frame, seed: options.seed, publicValue: options.publicValue });
        return verdict(report, 'sample verified', 'SAMPLE DOES NOT VERIFY');
      }),
    );

  program
    .command('score')
    .description('recompute every published figure (indicators, pillars, DDCI, intervals, ranks, tiers) from the anonymised microdata')
    .requiredOption('--microdata <file>', 'the published microdata (DDCI-MICRODATA/3 JSON, or /2)')
    .option('--methodology <file>', 'the methodology file (default: the shipped one of the microdata’s version)')
    .option('--previous <file>', 'last year’s published microdata, for the change from last year')
    .option('--json <file>', 'also write the full results as JSON')
    .action((options: { microdata: string; methodology?: string; previous?: string; json?: string }) => {
      try {
        const scored = scoreMicrodataFile(options.microdata, (version) => {
          if (options.methodology) return loadMethodology(options.methodology);
          const shipped = loadCatalog().methodologies.get(version);
          if (!shipped) throw new Error(`methodology ${version} is not installed; give it with --methodology`);
          return shipped;
        }, options.previous);
        io.out(rankingTables(scored, scored.methodology));
        if (options.json) writeFileSync(options.json, JSON.stringify(scored.result, null, 1) + '\n');
        exitCode = 0;
      } catch (error) {
        io.err(`${error instanceof CatalogError ? error.message : `ddci score: ${(error as Error).message}`}\n`);
        exitCode = 1;
      }
    });

  program
    .command('publication')
    .description('the published results')
    .command('verify')
    .description('check the chair’s signature, every hash (results, microdata, bulletin, frame, seed commitment, sample) and that the microdata reproduce the published figures; exit 1 naming what fails')
    .requiredOption('--campaign <id>', 'campaign id')
    .action((options: { campaign: string }) =>
      withDatabase(async ({ db }) => {
        return verdict(await verifyPublication(db, loadCatalog(), options.campaign), 'publication verified', 'PUBLICATION DOES NOT VERIFY');
      }),
    );

  program
    .command('report')
    .description('the full published report — overview, every unit scorecard, methodology and response appendix — as an A4 PDF printed by Chromium')
    .requiredOption('--campaign <id>', 'campaign id')
    .requiredOption('--pdf <file>', 'where to write the PDF')
    .option('--lang <lang>', 'vi or en', 'vi')
    .action((options: { campaign: string; pdf: string; lang: string }) =>
      withDatabase(async (database, config) => {
        const lang = options.lang === 'en' ? 'en' : 'vi';
        const data = await reportData(database.db, shippedCatalog(), options.campaign, lang);
        if (!data) {
          io.err(`ddci report: campaign ${options.campaign} has no published results\n`);
          return 1;
        }
        const { app } = createApp({ config, database, logger: createLogger('silent') });
        try {
          writeFileSync(options.pdf, await reportPdf(app, data, lang, config.chromiumPath));
        } catch (error) {
          if (!(error instanceof ChromiumMissing)) throw error;
          io.err(`ddci report: ${error.message}\nSet CHROMIUM_PATH to a Chromium that starts on this machine (or apt install chromium); the report's print view is at /campaigns/${options.campaign}/report.\n`);
          return 1;
        } finally {
          await closePrinter();
        }
        io.out(`report written to ${options.pdf}\n`);
        return 0;
      }),
    );

  program
    .command('simulate')
    .description('answer survey forms over HTTP as respondents would (random valid answers, some invalid attempts first)')
    .requiredOption('--url <url>', 'the running app, e.g. http://localhost:3000')
    .requiredOption('--codes <file>', 'access codes file: code,units (the demo writes DATA_DIR/demo/ma-truy-cap-demo.csv)')
    .requiredOption('--responses <n>', 'how many forms to send', (v) => Number.parseInt(v, 10))
    .option('--concurrency <n>', 'respondents at the same time', (v) => Number.parseInt(v, 10), 8)
    .option('--invalid <share>', 'share of forms first sent with a mistake', Number.parseFloat, 0.1)
    .option('--seed <n>', 'random seed, to repeat a run', (v) => Number.parseInt(v, 10), 1)
    .action(async (options: { url: string; codes: string; responses: number; concurrency: number; invalid: number; seed: number }) => {
      const report = await simulate(
        { url: options.url, codesFile: options.codes, responses: options.responses, concurrency: options.concurrency, invalidShare: options.invalid, seed: options.seed },
        (done) => {
          if (done % 100 === 0) io.err(`… ${done} forms stored\n`);
        },
      );
      io.out(
        `${report.stored} forms stored, ${report.invalidRefused} invalid attempts refused (422), ${report.unexpected.length} unexpected answers, ` +
          `${report.notOffered} units not offered (answered before, or code refused), ${report.seconds.toFixed(1)} s (${(report.stored / Math.max(report.seconds, 1e-9)).toFixed(1)} forms/s)\n`,
      );
      for (const u of report.unexpected.slice(0, 10)) io.err(`unexpected ${u.status} at ${u.path}\n`);
      // Asked to store answers and stored none: say why, and fail.
      const nothing = options.responses > 0 && report.stored === 0;
      if (nothing && report.campaignClosed)
        io.err(`nothing stored: the campaign ${report.campaignClosed === 'notOpen' ? 'is not open for answers yet (move it to fieldwork, “Thu thập”, first)' : 'is closed: it takes no more answers'}\n`);
      else if (nothing) io.err('nothing stored: every unit of every code in the file is answered already or was refused\n');
      exitCode = report.unexpected.length || nothing ? 1 : 0;
    });

  program
    .command('seed-demo')
    .description('seed the demo campaign and one account per role (five for the committee) into an empty database')
    .action(() =>
      withDatabase(async ({ db }) => {
        const config = loadConfig(io.env);
        const seeded = await seedDemoIfEmpty(db, { dataDir: config.dataDir, hmacSecret: config.hmacSecret, logger: createLogger('warn') });
        if (!seeded) {
          io.out('database already has accounts: nothing seeded\n');
          return 0;
        }
        for (const a of seeded.accounts) io.out(`${a.role.padEnd(11)} ${a.username.padEnd(12)} ${a.oneTimePassword}\n`);
        io.out(`access codes: ${seeded.codesFile}\n`);
        return 0;
      }),
    );

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ConfigError || error instanceof BackupError || error instanceof DatabaseBusyError) {
      io.err(error.message + '\n');
      return 1;
    }
    io.err(`ddci: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
