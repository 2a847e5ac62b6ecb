import { ENVELOPE_TAG, openEnvelope, sealEnvelope } from '../../server/sealing/envelope.js';
import { openDocument, sealDocument } from '../../server/sealing/documents.js';
import { generateX25519, SealingError } from '../../server/sealing/primitives.js';

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
