import { deflateRawSync } from "node:zlib";

/** A minimal zip writer for tests: enough of the format to build normal and hostile archives by hand. */

export interface ZipEntrySpec {
  /** A string is written as UTF-8 with flag bit 11; a Buffer is written raw (CP437 unless `utf8` is set). */
  name: string | Buffer;
  data?: Buffer | string;
  /** 8 = deflate (default), 0 = stored. */
  method?: 0 | 8;
  /** Overrides the uncompressed size written in both headers (a lying entry). */
  declaredSize?: number;
  utf8?: boolean;
  /** Unix mode (e.g. 0o120777 for a symlink), written as Unix-made external attributes. */
  unixMode?: number;
  encrypted?: boolean;
  /** Info-ZIP Unicode Path extra field (0x7075) carrying this UTF-8 name. */
  unicodePath?: string;
  /** Compressed bytes to write instead of compressing `data` (for huge payloads built once). */
  compressed?: Buffer;
  /** Size and CRC of the content `compressed` holds. */
  rawSize?: number;
  rawCrc?: number;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(data: Buffer, start = 0xffffffff): number {
  let crc = start;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function buildZip(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const spec of entries) {
    const data = typeof spec.data === "string" ? Buffer.from(spec.data) : (spec.data ?? Buffer.alloc(0));
    const method = spec.method ?? 8;
    const compressed = spec.compressed ?? (method === 8 ? deflateRawSync(data) : data);
    const size = spec.declaredSize ?? spec.rawSize ?? data.length;
    const crc = spec.rawCrc ?? crc32(data);
    const name = typeof spec.name === "string" ? Buffer.from(spec.name, "utf8") : spec.name;
    const utf8 = spec.utf8 ?? typeof spec.name === "string";
    const flags = (utf8 ? 0x800 : 0) | (spec.encrypted ? 0x1 : 0);
    const extra = spec.unicodePath ? unicodePathField(name, spec.unicodePath) : Buffer.alloc(0);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    locals.push(local, name, extra, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(spec.unixMode !== undefined ? (3 << 8) | 20 : 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(spec.unixMode !== undefined ? (spec.unixMode << 16) >>> 0 : 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name, extra);
    offset += 30 + name.length + extra.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function unicodePathField(rawName: Buffer, name: string): Buffer {
  const utf8 = Buffer.from(name, "utf8");
  const field = Buffer.alloc(4 + 5 + utf8.length);
  field.writeUInt16LE(0x7075, 0);
  field.writeUInt16LE(5 + utf8.length, 2);
  field.writeUInt8(1, 4);
  field.writeUInt32LE(crc32(rawName), 5);
  utf8.copy(field, 9);
  return field;
}
