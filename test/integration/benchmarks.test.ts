import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fromRoot } from '../../server/paths.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';

/**
 * Benchmarks cannot rot (issue 20): every `bench:*` script of package.json runs here in a small mode —
 * seconds, not minutes — and must exit 0 and print its figures. Full sizes: test/bench/README.md. The
 * submissions benchmark needs a PostgreSQL server: a cluster of the test's own. Nothing here depends on
 * the database the suite runs on, so the server run leaves this file out (jest.config.js).
 */
const run = promisify(execFile);
let cluster: PrivatePostgres;
beforeAll(() => {
  cluster = startPrivatePostgres();
});
afterAll(() => cluster?.destroy());

const scripts = Object.entries((JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts).filter(([name]) => name.startsWith('bench:'));

/** Each benchmark's small mode and a line of its output that carries its figures. */
const SMALL: Record<string, { args?: string[]; env?: () => Record<string, string>; prints: RegExp }> = {
  'bench:sealing': { args: ['300'], prints: /300 envelopes opened in [\d.]+ s/ },
  'bench:sampling': { args: ['3000'], prints: /import speed: [\d.]+ of the bare parse/ },
  'bench:submissions': { args: ['2'], env: () => ({ BENCH_DATABASE_URL: cluster.url, BENCH_BUSINESSES: '6' }), prints: /CPU per request: app \d+ µs, database \d+ µs[\s\S]*submissions: [\d.]+ of the bare INSERT endpoint/ },
  'bench:scoring': { args: ['300'], prints: /300 responses, 60 units, \d+ bootstrap replicates: scored in [\d.]+ s/ },
  'bench:unseal': { args: ['300'], prints: /total [\d.]+ s, peak RSS of the unsealing process \d+ MiB/ },
  'bench:estimation': { env: () => ({ RUNS: '2', REPLICATES: '20' }), prints: /neyman, band dropped .* coverage indicator [\d.]+ %/ },
  'bench:reports': { env: () => ({ BENCH_UNITS: '6' }), prints: /whole report PDF/ },
  'bench:announcement': { args: ['1', '10'], env: () => ({ BENCH_SCALE: '0.3' }), prints: /results\.json: 10× the responses at [\d.]+ of the rate/ },
};

test('every benchmark has a small mode here', () => {
  expect(scripts.map(([name]) => name).sort()).toEqual(Object.keys(SMALL).sort());
});

test.each(scripts)('%s completes in its small mode and prints its figures', async (name, command) => {
  const small = SMALL[name]!;
  // `tsx [node flags] file`: the same flags and file, run by this Node.
  const [, flags, file] = /^tsx((?: --\S+)*) (\S+)$/.exec(command)!;
  const { stdout } = await run(process.execPath, [...flags!.split(' ').filter(Boolean), '--import', 'tsx', file!, ...(small.args ?? [])], {
    cwd: fromRoot(),
    env: { ...process.env, ...small.env?.(), NODE_OPTIONS: '' },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 240_000,
  });
  expect(stdout).toMatch(small.prints);
}, 300_000);
