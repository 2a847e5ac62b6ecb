/**
 * The server side of `npm run bench:submissions`, in its own process (as in production): the real app on
 * BENCH_PORT and, on BENCH_BARE_PORT, a bare Express endpoint that parses the same form, stores it with one
 * INSERT through pg (a pool of the app's size) and redirects — the floor a submission is compared with.
 * Configuration comes from the environment like the app's own.
 */
import express from 'express';
import pg from 'pg';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase, POOL_SIZE } from '../../server/db/client.js';
import { createLogger } from '../../server/logger.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
const { app } = createApp({ config, database, logger });
const pool = new pg.Pool({ connectionString: config.databaseUrl, max: POOL_SIZE });
pool.on('error', () => undefined); // the bench drops the database, and these connections, when it ends
await pool.query('create table if not exists bench_bare (id bigserial primary key, unit text not null, body bytea not null)');
const bare = express();
bare.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 500 }));
bare.post('/survey/units/:unit', async (req, res) => {
  await pool.query({ name: 'bench-bare', text: 'insert into bench_bare (unit, body) values ($1, $2)', values: [req.params.unit, Buffer.from(JSON.stringify(req.body))] });
  res.redirect(303, `/survey/units/${req.params.unit}/receipt`);
});

const listen = (handler: express.Express, port: number) => new Promise<void>((resolve) => handler.listen(port, '127.0.0.1', () => resolve()));
await listen(app, Number(process.env.BENCH_PORT));
await listen(bare, Number(process.env.BENCH_BARE_PORT));
process.stdout.write('ready\n');
process.on('SIGINT', () => process.exit(0)); // lets --cpu-prof write its profile
