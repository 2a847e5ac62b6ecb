import { ENVELOPE_TAG, envelopeSealer, openEnvelope, sealEnvelope } from '../../server/sealing/envelope.js';
import { EphemeralKeyPool } from '../../server/sealing/ephemeral-keys.js';
import { openDocument, sealDocument } from '../../server/sealing/documents.js';
import { generateX25519, randomBytes, SealingError } from '../../server/sealing/primitives.js';

const campaign = generateX25519();
const campaignPublic = campaign.publicRaw;
const context = 'campaign=c1;unit=SXD;questionnaire=department-2026.1';
const answers = Buffer.from(JSON.stringify({ A1: 4, A2: 'yes', C3: 'Thủ tục còn rườm rà' }), 'utf8');

describe('response envelopes', () => {
  test('round trip, and the version tag names every algorithm', () => {
    const envelope = sealEnvelope(answers, campaignPublic, context);
    expect(openEnvelope(envelope, campaign.privateKey, campaignPublic, context)).toEqual(answers);
    expect(envelope.subarray(1, 1 + envelope[0]!).toString('ascii')).toBe(ENVELOPE_TAG);
    expect(ENVELOPE_TAG).toMatch(/X25519.*HKDF-SHA-256.*AES-256-GCM/);
  });

  test('no plaintext inside, and the same answers seal differently every time', () => {
    const a = sealEnvelope(answers, campaignPublic, context);
    const b = sealEnvelope(answers, campaignPublic, context);
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('rườm rà'))).toBe(false);
    expect(a.includes(Buffer.from('"A1"'))).toBe(false);
    expect(a.includes(Buffer.from(context))).toBe(false);
  });

  test('a flipped bit anywhere in the envelope is detected', () => {
    const envelope = sealEnvelope(answers, campaignPublic, context);
    let detected = 0;
    for (let byte = 0; byte < envelope.length; byte++) {
      for (const bit of [0, 7]) {
        const tampered = Buffer.from(envelope);
        tampered[byte]! ^= 1 << bit;
        try {
          openEnvelope(tampered, campaign.privateKey, campaignPublic, context);
        } catch (error) {
          expect(error).toBeInstanceOf(SealingError);
          detected++;
        }
      }
    }
    expect(detected).toBe(envelope.length * 2);
  });

  test('an envelope moved to another unit or campaign, truncated, or opened with another key fails', () => {
    const envelope = sealEnvelope(answers, campaignPublic, context);
    expect(() => openEnvelope(envelope, campaign.privateKey, campaignPublic, context.replace('SXD', 'SYT'))).toThrow(SealingError);
    expect(() => openEnvelope(envelope.subarray(0, 80), campaign.privateKey, campaignPublic, context)).toThrow(/too short/);
    const other = generateX25519();
    expect(() => openEnvelope(envelope, other.privateKey, other.publicRaw, context)).toThrow(SealingError);
  });

  test('under load, key agreements made ahead on a thread seal envelopes that open as any other, each agreement used once', async () => {
    const pool = new EphemeralKeyPool(campaignPublic);
    try {
      // A quiet instance starts no thread: a few forms a second make their own agreements.
      const start = Date.parse('2026-12-05T08:00:00Z');
      for (let i = 0; i < 50; i++) expect(pool.take(start)).toBeUndefined();
      // A busy second asks the thread for a batch; it comes back while the forms keep coming.
      let made: ReturnType<EphemeralKeyPool['take']>;
      for (let i = 0; !(made = pool.take(start + 1000)); i++) {
        if (i > 2000) throw new Error('no agreement came from the thread');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const sealer = envelopeSealer(campaignPublic, () => pool.take(start + 1000));
      const envelopes = Array.from({ length: 300 }, () => sealer(answers, context));
      for (const envelope of envelopes) expect(openEnvelope(envelope, campaign.privateKey, campaignPublic, context)).toEqual(answers);
      const ephemeralKeys = envelopes.map((e) => e.subarray(1 + e[0]!, 1 + e[0]! + 32).toString('hex'));
      expect(new Set(ephemeralKeys).size).toBe(envelopes.length);
      // A handed-out KEK is zeroed once it has sealed.
      expect(made.kek.equals(Buffer.alloc(32))).toBe(false);
      envelopeSealer(campaignPublic, () => made)(answers, context);
      expect(made.kek.equals(Buffer.alloc(32))).toBe(true);
    } finally {
      pool.close();
    }
  });

  test('random bytes drawn a page at a time are never handed out twice', () => {
    const drawn = Array.from({ length: 2000 }, (_, i) => randomBytes(i % 2 ? 12 : 32).toString('hex'));
    expect(new Set(drawn).size).toBe(drawn.length);
    expect(randomBytes(5000).length).toBe(5000);
    expect(randomBytes(0).length).toBe(0);
  });
});

describe('documents sealed for the committee', () => {
  test('every member opens it; a non-member and a tampered document do not', () => {
    const members = [generateX25519(), generateX25519(), generateX25519()];
    const document = Buffer.from(JSON.stringify({ ranking: ['SXD', 'SYT'] }));
    const sealed = sealDocument(
      document,
      members.map((m, i) => ({ memberId: `m${i}`, encryptionPublic: m.publicRaw })),
    );
    members.forEach((m, i) => expect(openDocument(sealed, `m${i}`, m.privateKey)).toEqual(document));
    expect(() => openDocument(sealed, 'm0', members[1]!.privateKey)).toThrow(SealingError);
    expect(() => openDocument(sealed, 'stranger', members[0]!.privateKey)).toThrow(/not sealed for this member/);
    const payload = Buffer.from(sealed.payload, 'base64');
    payload[20]! ^= 1;
    expect(() => openDocument({ ...sealed, payload: payload.toString('base64') }, 'm0', members[0]!.privateKey)).toThrow(SealingError);
    expect(JSON.stringify(sealed)).not.toContain('ranking');
  });
});
