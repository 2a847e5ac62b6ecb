/** A little-endian byte writer for the binary statistical formats (.sav, .dta). */
export class ByteWriter {
  private chunks: Buffer[] = [];
  length = 0;

  bytes(data: Buffer | Uint8Array): this {
    const buffer = Buffer.from(data);
    this.chunks.push(buffer);
    this.length += buffer.length;
    return this;
  }
  private number(size: number, write: (b: Buffer) => void): this {
    const b = Buffer.alloc(size);
    write(b);
    return this.bytes(b);
  }
  u8 = (v: number) => this.number(1, (b) => b.writeUInt8(v));
  u16 = (v: number) => this.number(2, (b) => b.writeUInt16LE(v));
  i32 = (v: number) => this.number(4, (b) => b.writeInt32LE(v));
  u64 = (v: number) => this.number(8, (b) => b.writeBigUInt64LE(BigInt(v)));
  f64 = (v: number) => this.number(8, (b) => b.writeDoubleLE(v));
  /** ASCII/UTF-8 text in a fixed field, padded with `pad` (cut at a character boundary when too long). */
  fixed(text: string, size: number, pad = 0): this {
    const field = Buffer.alloc(size, pad);
    utf8Within(text, size).copy(field);
    return this.bytes(field);
  }
  ascii = (text: string) => this.bytes(Buffer.from(text, 'latin1'));
  buffer = () => Buffer.concat(this.chunks, this.length);
}

/** The UTF-8 bytes of `text`, cut to at most `max` bytes without splitting a character. */
export function utf8Within(text: string, max: number): Buffer {
  let bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return bytes;
  let end = max;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  bytes = bytes.subarray(0, end);
  return bytes;
}
