import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

/**
 * Streaming authenticated encryption for artifacts of any size (AES-256-GCM in segments, the layout of
 * Tink's AES-GCM-HKDF streaming AEAD): a header, then plaintext segments of SEGMENT_SIZE bytes, each
 * sealed on its own. Each segment's nonce holds its index and a "last" flag, so a reader notices
 * reordered, dropped or truncated segments, verifies every segment before releasing its plaintext, and
 * can decrypt a byte range without reading the whole file. Every file gets its own key, derived with HKDF
 * from the data key, a random salt and the artifact's name, so a ciphertext moved to another name does
 * not decrypt and nonces never repeat under one key.
 *
 * A sealed trailer after the last segment holds the plaintext's sha256, so the store can report it
 * (stat) without reading the whole file, and a full read checks it too.
 *
 * header = MAGIC (4) | salt (16) | nonce prefix (7)
 * segment = ciphertext (<= SEGMENT_SIZE) | tag (16);  nonce = prefix (7) | index u32 BE (4) | last (1)
 * trailer = sealed sha256 (32) | tag (16);  nonce = prefix | 0xFFFFFFFF | 2
 */
export const MAGIC = Buffer.from("ACE1", "latin1");
export const SEGMENT_SIZE = 64 * 1024;
const SALT = 16;
const PREFIX = 7;
const TAG = 16;
export const HEADER_SIZE = MAGIC.length + SALT + PREFIX;
const SEALED_SEGMENT = SEGMENT_SIZE + TAG;
export const TRAILER_SIZE = 32 + TAG;
const TRAILER_INDEX = 0xffffffff;

export class CiphertextError extends Error {
  override readonly name = "CiphertextError";
}

/** Whether stored bytes (their first few are enough) begin as this cipher's output does. */
export const isSealed = (head: Uint8Array): boolean =>
  head.length >= MAGIC.length && Buffer.from(head.subarray(0, MAGIC.length)).equals(MAGIC);

interface FileKey {
  key: Buffer;
  prefix: Buffer;
}

function fileKey(dataKey: Buffer, header: Buffer, name: string): FileKey {
  if (header.length < HEADER_SIZE || !header.subarray(0, MAGIC.length).equals(MAGIC))
    throw new CiphertextError(`${name}: not an encrypted artifact (bad header)`);
  const salt = header.subarray(MAGIC.length, MAGIC.length + SALT);
  const prefix = Buffer.from(header.subarray(MAGIC.length + SALT, HEADER_SIZE));
  const key = Buffer.from(hkdfSync("sha256", dataKey, salt, `aiclone artifact ${name}`, 32));
  return { key, prefix };
}

function nonce(prefix: Buffer, index: number, last: boolean | 2): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0);
  n.writeUInt32BE(index, PREFIX);
  n[11] = last === 2 ? 2 : last ? 1 : 0;
  return n;
}

function sealSegment(file: FileKey, index: number, last: boolean | 2, plain: Buffer): Buffer {
  const cipher = createCipheriv("aes-256-gcm", file.key, nonce(file.prefix, index, last));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([body, cipher.getAuthTag()]);
}

function openSegment(file: FileKey, index: number, last: boolean | 2, sealed: Buffer, name: string): Buffer {
  if (sealed.length < TAG) throw new CiphertextError(`${name}: truncated segment ${index}`);
  const decipher = createDecipheriv("aes-256-gcm", file.key, nonce(file.prefix, index, last));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG)), decipher.final()]);
  } catch {
    throw new CiphertextError(
      `${name}: segment ${index} failed authentication (tampered, truncated, or another key)`,
    );
  }
}

/** Bytes of ciphertext for a plaintext of `size` bytes. */
export const sealedSize = (size: number): number =>
  HEADER_SIZE + size + TAG * Math.max(1, Math.ceil(size / SEGMENT_SIZE)) + TRAILER_SIZE;

/** Bytes of plaintext in a ciphertext of `size` bytes (the inverse of sealedSize). */
export function plainSize(size: number): number {
  const body = size - HEADER_SIZE - TRAILER_SIZE;
  if (body < TAG) throw new CiphertextError(`ciphertext of ${size} bytes is too short`);
  return body - TAG * Math.ceil(body / SEALED_SEGMENT);
}

/**
 * Encrypts a stream: yields the header, then each segment once the next byte shows it is not the last.
 * `onEnd` sees the plaintext's sha256 (hex) before the last segment goes out: throwing there fails the
 * stream, so a writer can refuse content by its checksum and leave nothing complete behind.
 */
export async function* encryptChunks(
  dataKey: Buffer,
  name: string,
  source: AsyncIterable<Uint8Array>,
  onEnd?: (sha256: string) => void,
): AsyncGenerator<Buffer> {
  const header = Buffer.concat([MAGIC, randomBytes(SALT), randomBytes(PREFIX)]);
  const file = fileKey(dataKey, header, name);
  yield header;
  const hash = createHash("sha256");
  let pending = Buffer.alloc(0);
  let index = 0;
  for await (const chunk of source) {
    hash.update(chunk);
    pending = pending.length ? Buffer.concat([pending, chunk]) : Buffer.from(chunk);
    // Strictly more than a segment: only then is the segment known not to be the last one.
    while (pending.length > SEGMENT_SIZE) {
      yield sealSegment(file, index++, false, pending.subarray(0, SEGMENT_SIZE));
      pending = pending.subarray(SEGMENT_SIZE);
    }
  }
  const digest = hash.digest();
  onEnd?.(digest.toString("hex"));
  yield sealSegment(file, index, true, pending);
  yield sealSegment(file, TRAILER_INDEX, 2, digest);
}

/**
 * Decrypts a whole ciphertext stream; fails with CiphertextError on any tampering, truncation or a
 * wrong key, before releasing the plaintext of the segment concerned.
 */
export async function* decryptChunks(
  dataKey: Buffer,
  name: string,
  source: AsyncIterable<Uint8Array>,
): AsyncGenerator<Buffer> {
  let buffered = Buffer.alloc(0);
  let file: FileKey | undefined;
  let index = 0;
  const hash = createHash("sha256");
  for await (const chunk of source) {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : Buffer.from(chunk);
    if (!file) {
      if (buffered.length < HEADER_SIZE) continue;
      file = fileKey(dataKey, buffered.subarray(0, HEADER_SIZE), name);
      buffered = buffered.subarray(HEADER_SIZE);
    }
    // Keep at least one whole sealed segment and the trailer back: that segment may be the last one.
    while (buffered.length > SEALED_SEGMENT + TRAILER_SIZE) {
      const plain = openSegment(file, index++, false, buffered.subarray(0, SEALED_SEGMENT), name);
      hash.update(plain);
      yield plain;
      buffered = buffered.subarray(SEALED_SEGMENT);
    }
  }
  if (!file) throw new CiphertextError(`${name}: truncated before the end of the header`);
  if (buffered.length < TAG + TRAILER_SIZE) throw new CiphertextError(`${name}: truncated`);
  const cut = buffered.length - TRAILER_SIZE;
  const last = openSegment(file, index, true, buffered.subarray(0, cut), name);
  const recorded = openSegment(file, TRAILER_INDEX, 2, buffered.subarray(cut), name);
  if (!hash.update(last).digest().equals(recorded))
    throw new CiphertextError(`${name}: content does not match its recorded sha256`);
  yield last;
}

/** The plaintext's sha256 (hex) from a ciphertext's header and trailer. */
export function sealedSha256(dataKey: Buffer, name: string, header: Buffer, trailer: Buffer): string {
  const file = fileKey(dataKey, header, name);
  return openSegment(file, TRAILER_INDEX, 2, trailer, name).toString("hex");
}

/** Which ciphertext bytes hold the plaintext range [start, end] (inclusive) of a file of `size` sealed bytes. */
export interface SegmentPlan {
  firstSegment: number;
  lastSegment: number;
  /** Inclusive byte range of those segments in the ciphertext. */
  cipherStart: number;
  cipherEnd: number;
  /** Offset of `start` in the first segment's plaintext, and the plaintext length wanted. */
  skip: number;
  length: number;
  /** Index of the file's final segment. */
  finalSegment: number;
}

export function planRange(sealedBytes: number, start: number, end: number): SegmentPlan {
  const total = plainSize(sealedBytes);
  const last = Math.min(end, total - 1);
  const segmentsEnd = sealedBytes - TRAILER_SIZE;
  const finalSegment = Math.ceil((segmentsEnd - HEADER_SIZE) / SEALED_SEGMENT) - 1;
  const firstSegment = Math.floor(start / SEGMENT_SIZE);
  const lastSegment = Math.max(firstSegment, Math.floor(last / SEGMENT_SIZE));
  return {
    firstSegment,
    lastSegment,
    cipherStart: HEADER_SIZE + firstSegment * SEALED_SEGMENT,
    cipherEnd: Math.min(segmentsEnd, HEADER_SIZE + (lastSegment + 1) * SEALED_SEGMENT) - 1,
    skip: start - firstSegment * SEGMENT_SIZE,
    length: Math.max(0, last - start + 1),
    finalSegment,
  };
}

/** Decrypts the segments of a plan (read from the ciphertext) and yields exactly the wanted plaintext. */
export async function* decryptRange(
  dataKey: Buffer,
  name: string,
  header: Buffer,
  plan: SegmentPlan,
  segments: AsyncIterable<Uint8Array>,
): AsyncGenerator<Buffer> {
  const file = fileKey(dataKey, header, name);
  let buffered: Buffer = Buffer.alloc(0);
  let index = plan.firstSegment;
  let skip = plan.skip;
  let left = plan.length;
  const release = function* (plain: Buffer): Generator<Buffer> {
    const part = plain.subarray(skip, skip + left);
    skip = Math.max(0, skip - plain.length);
    left -= part.length;
    if (part.length > 0) yield part;
  };
  for await (const chunk of segments) {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : Buffer.from(chunk);
    while (buffered.length >= SEALED_SEGMENT && index < plan.lastSegment) {
      yield* release(openSegment(file, index, false, buffered.subarray(0, SEALED_SEGMENT), name));
      buffered = buffered.subarray(SEALED_SEGMENT);
      index++;
    }
  }
  yield* release(openSegment(file, index, index === plan.finalSegment, buffered, name));
  if (left > 0) throw new CiphertextError(`${name}: ciphertext ended ${left} bytes before the range`);
}
