import { writeFile } from "node:fs/promises";

/**
 * Writes a GGUF v3 file with the given string metadata and no tensors: enough for code that reads only
 * the header (general.architecture), without Python or a real model.
 */
export async function writeGgufHeader(path: string, metadata: Record<string, string>): Promise<void> {
  await writeFile(path, ggufHeader(metadata));
}

/** The bytes of such a header (a stand-in adapter appends filler after it; nothing reads past it). */
export function ggufHeader(metadata: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    parts.push(b);
  };
  const u64 = (n: number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    parts.push(b);
  };
  const str = (s: string) => {
    const bytes = Buffer.from(s, "utf8");
    u64(bytes.length);
    parts.push(bytes);
  };
  parts.push(Buffer.from("GGUF", "ascii"));
  u32(3); // version
  u64(0); // tensors
  u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    str(key);
    u32(8); // GGUF_TYPE_STRING
    str(value);
  }
  return Buffer.concat(parts);
}
