import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../server/config.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'ddci-config-'));

describe('configuration', () => {
  test('defaults need nothing but a data folder, and secrets are created once and kept', () => {
    const dir = tempDir();
    const first = loadConfig({ DATA_DIR: dir });
    expect(first).toMatchObject({ port: 3000, env: 'development', databaseUrl: undefined, cookieSecure: false, seedDemo: true });
    expect(first.publicUrl).toBe('http://localhost:3000');
    const file = path.join(dir, 'secrets.json');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadConfig({ DATA_DIR: dir }).hmacSecret).toBe(first.hmacSecret);
    expect(JSON.parse(readFileSync(file, 'utf8')).sessionSecret).toBe(first.sessionSecret);
  });

  test('every invalid variable is reported at once, secrets never echoed', () => {
    let error: unknown;
    try {
      loadConfig({ DATA_DIR: tempDir(), PORT: '99999', DATABASE_URL: 'mysql://db', SESSION_SECRET: 'short', TRUST_PROXY: 'maybe', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/PORT: must be <= 65535 \(got "99999"\)/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL/);
    expect(problems.join('\n')).toMatch(/TRUST_PROXY/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL/);
    expect(problems.join('\n')).toMatch(/SESSION_SECRET: .*\(got \(hidden\)\)/);
    expect((error as Error).message).not.toContain('short');
  });

  test('values are typed and production turns on secure cookies', () => {
    const config = loadConfig({ DATA_DIR: tempDir(), NODE_ENV: 'production', PORT: '8080', TRUST_PROXY: 'true', PUBLIC_URL: 'https://ddci.langson.gov.vn/' });
    expect(config).toMatchObject({ port: 8080, trustProxy: true, cookieSecure: true, publicUrl: 'https://ddci.langson.gov.vn' });
  });
});

describe('.env.example', () => {
  test('documents every variable the configuration reads, one line each, and nothing else', async () => {
    const { readFileSync } = await import('node:fs');
    const { variableDocs } = await import('../../server/config.js');
    const { fromRoot } = await import('../../server/paths.js');
    const documented = readFileSync(fromRoot('.env.example'), 'utf8')
      .split('\n')
      .filter((line) => /^#[A-Z_]+=/.test(line))
      .map((line) => line.slice(1).split('=')[0]);
    expect(documented).toEqual(Object.keys(variableDocs));
  });
});

describe('logging', () => {
  test('database errors are logged without their query parameters', async () => {
    const { createLogger } = await import('../../server/logger.js');
    let written = '';
    const sink = createLogger('info', { write: (line: string) => (written += line) });
    const error = Object.assign(new Error('Failed query: insert into frame_staging values ($1)\nparams: 0101234567,Công ty TNHH Bí Mật,0912345678'), {
      params: ['0101234567', 'Công ty TNHH Bí Mật'],
      cause: { code: '23505', message: 'duplicate key value violates unique constraint' },
    });
    sink.error({ err: error }, 'request failed');
    expect(written).toContain('Failed query: insert into frame_staging');
    expect(written).toContain('23505');
    expect(written).not.toContain('0101234567');
    expect(written).not.toContain('Bí Mật');
  });
});
