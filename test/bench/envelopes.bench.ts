/**
 * Envelope throughput: sealing and opening N response envelopes (default 100,000), next to a bare loop
 * of the same primitives (X25519 + HKDF-SHA-256 + two AES-256-GCM operations) on the same machine —
 * the limit our code can approach. Run: npm run bench:sealing [-- N]
 */
import { cpus } from 'node:os';
import { createCipheriv, createDecipheriv, diffieHellman, hkdfSync, randomBytes } from 'node:crypto';
import { envelopeSealer, openEnvelope } from '../../server/sealing/envelope.js';
import { generateX25519, x25519PublicFromRaw } from '../../server/sealing/primitives.js';

const N = Number(process.argv[2] ?? 100_000);
const campaign = generateX25519();
const campaignPublic = campaign.publicRaw;
const campaignPublicKey = x25519PublicFromRaw(campaignPublic);
const context = 'campaign=bench;unit=SXD;questionnaire=department-2026.1';
// A realistic answer: 40 coded questions and a free-text comment, about 400 bytes of JSON.
const answers = Buffer.from(
  JSON.stringify({
    ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`Q${i + 1}`, (i % 5) + 1])),
    comment: 'Thủ tục cấp phép xây dựng cần rút ngắn thời gian và công khai hơn.',
  }),
);

function time(label: string, work: () => void) {
  const start = process.hrtime.bigint();
  work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { label, seconds, perSecond: N / seconds };
}

const envelopes: Buffer[] = new Array(N);
const sealer = envelopeSealer(campaignPublic);
const seal = time('seal envelopes', () => {
  for (let i = 0; i < N; i++) envelopes[i] = sealer(answers, context);
});

const bareSealed: { epk: Buffer; wrapped: Buffer; payload: Buffer }[] = new Array(N);
const bareSeal = time('bare seal loop', () => {
  for (let i = 0; i < N; i++) {
    const e = generateX25519();
    const epk = e.publicRaw;
    const kek = Buffer.from(hkdfSync('sha256', diffieHellman({ privateKey: e.privateKey, publicKey: campaignPublicKey }), epk, 'bench', 32));
    const dataKey = randomBytes(32);
    const n1 = randomBytes(12);
    const c1 = createCipheriv('aes-256-gcm', kek, n1);
    const wrapped = Buffer.concat([n1, c1.update(dataKey), c1.final(), c1.getAuthTag()]);
    const n2 = randomBytes(12);
    const c2 = createCipheriv('aes-256-gcm', dataKey, n2);
    bareSealed[i] = { epk, wrapped, payload: Buffer.concat([n2, c2.update(answers), c2.final(), c2.getAuthTag()]) };
  }
});

let checksum = 0;
const open = time('open envelopes', () => {
  for (let i = 0; i < N; i++) checksum += openEnvelope(envelopes[i]!, campaign.privateKey, campaignPublic, context).length;
});
if (checksum !== N * answers.length) throw new Error('an envelope did not round-trip');

const bareOpen = time('bare open loop', () => {
  for (let i = 0; i < N; i++) {
    const { epk, wrapped, payload } = bareSealed[i]!;
    const kek = Buffer.from(hkdfSync('sha256', diffieHellman({ privateKey: campaign.privateKey, publicKey: x25519PublicFromRaw(epk) }), epk, 'bench', 32));
    const d1 = createDecipheriv('aes-256-gcm', kek, wrapped.subarray(0, 12));
    d1.setAuthTag(wrapped.subarray(44));
    const dataKey = Buffer.concat([d1.update(wrapped.subarray(12, 44)), d1.final()]);
    const d2 = createDecipheriv('aes-256-gcm', dataKey, payload.subarray(0, 12));
    d2.setAuthTag(payload.subarray(payload.length - 16));
    Buffer.concat([d2.update(payload.subarray(12, payload.length - 16)), d2.final()]);
  }
});

const rows = [seal, bareSeal, open, bareOpen];
console.log(`\nEnvelopes: N = ${N.toLocaleString('en')}, answer ${answers.length} B, envelope ${envelopes[0]!.length} B`);
console.log(`Machine: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, Node ${process.version}, one thread\n`);
console.log('| operation | seconds | per second |');
console.log('|---|---:|---:|');
for (const r of rows) console.log(`| ${r.label} | ${r.seconds.toFixed(2)} | ${Math.round(r.perSecond).toLocaleString('en')} |`);
console.log(`\nopen / bare open = ${(open.perSecond / bareOpen.perSecond).toFixed(2)} (goal ≥ 0.5); ` + `seal / bare seal = ${(seal.perSecond / bareSeal.perSecond).toFixed(2)}`);
console.log(`${N.toLocaleString('en')} envelopes opened in ${open.seconds.toFixed(1)} s (goal < 30 s)`);
// The goals hold at full size; a small run (CI's, a few hundredths of a second per loop) only proves the bench runs.
const FULL_SIZE = 10_000;
if (N >= FULL_SIZE && (open.perSecond < bareOpen.perSecond / 2 || (N >= 100_000 && open.seconds >= 30))) process.exitCode = 1;
