import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Writes a synthetic sampling frame (for the demo and the benchmarks): `rows` lines over the given unit
 * codes, businesses dealing with one to four units, a realistic mix of size bands, deterministic for a
 * given seed (a small LCG: demonstration data only, never the draw).
 */
export async function writeFrameCsv(path: string, rows: number, unitCodes: readonly string[], seed = 1): Promise<{ businesses: number }> {
  let state = seed >>> 0 || 1;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const bands = ['micro', 'micro', 'micro', 'small', 'small', 'medium', 'large'];
  const out = createWriteStream(path);
  out.write('tax_code,name,address,district,sector,size_band,email,phone,unit_code,dealings,source\n');
  let written = 0;
  let business = 0;
  while (written < rows) {
    business++;
    const taxCode = String(4_900_000_000 + business).padStart(10, '0');
    const band = bands[Math.floor(next() * bands.length)]!;
    const units = 1 + Math.floor(next() * 4);
    const first = Math.floor(next() * unitCodes.length);
    for (let u = 0; u < units && written < rows; u++) {
      const unit = unitCodes[(first + u * 7) % unitCodes.length]!;
      const line = `${taxCode},"Công ty TNHH Thương mại ${business}","Số ${business} đường Trần Đăng Ninh, TP Lạng Sơn",TPLS,Thương mại,${band},dn${business}@example.vn,0205 3${String(business % 1_000_000).padStart(6, '0')},${unit},${1 + Math.floor(next() * 12)},procedure\n`;
      if (!out.write(line)) await once(out, 'drain');
      written++;
    }
  }
  out.end();
  await once(out, 'finish');
  return { businesses: business };
}
