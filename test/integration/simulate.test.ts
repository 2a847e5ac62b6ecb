import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../server/cli/index.js';
import { pendingResponses, responses } from '../../server/db/schema.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { campaignInFieldwork } from '../support/fieldwork.js';

let t: TestApp;
let server: Server;
beforeAll(async () => {
  t = await startTestApp();
  server = t.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

test('ddci simulate answers forms over HTTP as respondents would: valid answers stored, invalid attempts refused first', async () => {
  const fw = await campaignInFieldwork(t.db, 'Bắc Giang', ['SXD', 'STC', 'HCL']);
  const codes = path.join(mkdtempSync(path.join(tmpdir(), 'ddci-codes-')), 'codes.csv');
  writeFileSync(codes, ['code,units', ...fw.invitations.map((i) => `${i.code},${i.units.join(' ')}`)].join('\n') + '\n');
  const { port } = server.address() as { port: number };
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['simulate', '--url', `http://127.0.0.1:${port}`, '--codes', codes, '--responses', '9', '--invalid', '0.6', '--concurrency', '3'], {
    env: {},
    out: (s) => out.push(s),
    err: (s) => err.push(s),
  });
  expect(err.join('')).toBe('');
  expect(code).toBe(0);
  const [, stored, refused] = /^(\d+) forms stored, (\d+) invalid attempts refused \(422\), 0 unexpected/.exec(out.join(''))!;
  expect(Number(stored)).toBe(9);
  expect(Number(refused)).toBeGreaterThan(0);
  const rows = (await t.db.select().from(responses)).length + (await t.db.select().from(pendingResponses)).length;
  expect(rows).toBe(9);

  // Run again: the units answered the first time are not offered any more, so they are skipped, not errors.
  const again: string[] = [];
  const rerun = await runCli(['simulate', '--url', `http://127.0.0.1:${port}`, '--codes', codes, '--responses', '1000', '--invalid', '0', '--concurrency', '3'], {
    env: {},
    out: (s) => again.push(s),
    err: (s) => again.push(s),
  });
  const units = fw.invitations.reduce((n, i) => n + i.units.length, 0);
  expect(again.join('')).toMatch(new RegExp(`^${units - 9} forms stored, 0 invalid attempts refused \\(422\\), 0 unexpected answers, 9 units not offered \\(answered before, or code refused\\)`));
  expect(rerun).toBe(0);
});

test('ddci simulate exits 1 with the reason when it stores nothing: a campaign not open yet, then one with nothing left to answer', async () => {
  const fw = await campaignInFieldwork(t.db, 'Hà Giang', ['SXD', 'HCL'], { stopAt: 'sampling' });
  const codes = path.join(mkdtempSync(path.join(tmpdir(), 'ddci-codes-')), 'codes.csv');
  writeFileSync(codes, ['code,units', ...fw.invitations.map((i) => `${i.code},${i.units.join(' ')}`)].join('\n') + '\n');
  const { port } = server.address() as { port: number };
  const run = async () => {
    const err: string[] = [];
    const code = await runCli(['simulate', '--url', `http://127.0.0.1:${port}`, '--codes', codes, '--responses', '5', '--concurrency', '2'], { env: {}, out: () => undefined, err: (s) => err.push(s) });
    return { code, err: err.join('') };
  };
  expect(await run()).toEqual({ code: 1, err: 'nothing stored: the campaign is not open for answers yet (move it to fieldwork, “Thu thập”, first)\n' });
  const used = path.join(path.dirname(codes), 'used.csv');
  writeFileSync(used, 'code,units\n');
  const empty = await runCli(['simulate', '--url', `http://127.0.0.1:${port}`, '--codes', used, '--responses', '5'], { env: {}, out: () => undefined, err: () => undefined });
  expect(empty).toBe(1);
});
