import { createHash } from 'node:crypto';

/**
 * The published frame hash, pure: SHA-256 over one line per business–unit pair,
 * `tax code|unit code|size band|dealings|sources\n`, in (tax code, unit code) order. It covers what the
 * draw depends on and nothing that identifies a person (names, addresses and contacts are left out).
 */
export const FRAME_HASH_VERSION = 'DDCI-FRAME-HASH/1 sha256 lines=tax_code|unit_code|size_band|dealings|sources order=tax_code,unit_code';

export interface FrameHashLine {
  taxCode: string;
  unitCode: string;
  sizeBand: string;
  dealings: number;
  sources: string;
}

export function frameHasher() {
  const hash = createHash('sha256');
  let lines = 0;
  return {
    add(line: FrameHashLine) {
      hash.update(`${line.taxCode}|${line.unitCode}|${line.sizeBand}|${line.dealings}|${line.sources}\n`);
      lines++;
    },
    digest: () => ({ hash: hash.digest('hex'), lines }),
  };
}
