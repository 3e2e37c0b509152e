import { Readable } from "node:stream";
import type { DataKeyring } from "../crypto/dataKeyring.js";
import {
  CiphertextError,
  decryptChunks,
  decryptRange,
  encryptChunks,
  HEADER_SIZE,
  isSealed,
  MAGIC,
  plainSize,
  planRange,
  sealedSha256,
  sealedSize,
  TRAILER_SIZE,
} from "../crypto/segmentedCipher.js";
import {
  ArtifactChecksumError,
  type ArtifactInfo,
  ArtifactNotFoundError,
  type ArtifactStore,
  ArtifactTooLargeError,
  type GetOptions,
  type PutOptions,
} from "./artifactStore.js";
import { streamHead } from "./streamHead.js";

/**
 * Encrypts at rest the artifacts that hold personal data (AES-256-GCM in authenticated segments, under
 * the data key of the scope `scopeOf` names — the clone's), over any artifact store; other keys pass
 * through. Callers see plaintext: sizes, sha256s, maxBytes, expectedSha256 and ranges are the plaintext's
 * (stat and list read the sha256 from the file's sealed trailer: two small ranged reads each). Once
 * the scope's key is destroyed, its artifacts cannot be read, wherever copies of them went.
 *
 * `mayBePlain` names the keys of a kind that was stored in plaintext before it was encrypted: such an
 * artifact without the cipher's header is read (and stat'd) as it is. Any other key must be ciphertext.
 */
export class EncryptedArtifactStore implements ArtifactStore {
  readonly downloadUrl?: (key: string, options: { expiresInSeconds: number }) => Promise<string>;

  constructor(
    private readonly inner: ArtifactStore,
    private readonly keyring: DataKeyring,
    private readonly scopeOf: (key: string) => string | null,
    private readonly mayBePlain: (key: string) => boolean = () => false,
  ) {
    const direct = inner.downloadUrl?.bind(inner);
    if (direct)
      this.downloadUrl = (key, options) => {
        // A direct URL would hand out ciphertext: encrypted artifacts are served through the platform.
        if (this.scopeOf(key))
          throw new Error(`artifact ${key} is encrypted at rest: no direct download URL`);
        return direct(key, options);
      };
  }

  async put(
    key: string,
    body: Readable | AsyncIterable<Uint8Array>,
    options: PutOptions = {},
  ): Promise<ArtifactInfo> {
    const scope = this.scopeOf(key);
    if (!scope) return this.inner.put(key, body, options);
    const dataKey = await this.keyring.keyFor(scope);
    let size = 0;
    let sha256 = "";
    let refusal: Error | undefined;
    const { maxBytes, expectedSha256 } = options;
    // Plaintext checks inside the stream: a refusal fails the inner put, which leaves nothing behind.
    const metered = async function* (): AsyncGenerator<Uint8Array> {
      for await (const chunk of body as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (maxBytes !== undefined && size > maxBytes) {
          refusal = new ArtifactTooLargeError(key, maxBytes);
          throw refusal;
        }
        yield chunk;
      }
    };
    const checked = (actual: string) => {
      sha256 = actual;
      if (expectedSha256 && actual !== expectedSha256) {
        refusal = new ArtifactChecksumError(key, expectedSha256, actual);
        throw refusal;
      }
    };
    try {
      const info = await this.inner.put(key, Readable.from(encryptChunks(dataKey, key, metered(), checked)), {
        ...(options.contentType ? { contentType: options.contentType } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(maxBytes !== undefined ? { maxBytes: sealedSize(maxBytes) } : {}),
      });
      return { ...info, size, sha256 };
    } catch (error) {
      throw refusal ?? error;
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<Readable> {
    const scope = this.scopeOf(key);
    if (!scope) return this.inner.get(key, options);
    return options.range ? this.getRange(scope, key, options.range) : this.getWhole(scope, key);
  }

  private async getWhole(scope: string, key: string): Promise<Readable> {
    if (!this.mayBePlain(key))
      return Readable.from(decryptChunks(await this.keyOf(scope, key), key, await this.inner.get(key)));
    const stored = await this.inner.get(key);
    try {
      const { head, body } = await streamHead(stored, MAGIC.length);
      if (!isSealed(head)) return Readable.from(body);
      return Readable.from(decryptChunks(await this.keyOf(scope, key), key, body));
    } catch (error) {
      stored.destroy();
      throw error;
    }
  }

  private async getRange(
    scope: string,
    key: string,
    range: NonNullable<GetOptions["range"]>,
  ): Promise<Readable> {
    const info = await this.inner.stat(key);
    if (!info) throw new ArtifactNotFoundError(key);
    const header =
      info.size === 0
        ? Buffer.alloc(0)
        : await readAll(
            await this.inner.get(key, { range: { start: 0, end: Math.min(HEADER_SIZE, info.size) - 1 } }),
          );
    if (!isSealed(header)) {
      if (this.mayBePlain(key)) return this.inner.get(key, { range });
      throw new CiphertextError(`${key}: not an encrypted artifact (bad header)`);
    }
    const dataKey = await this.keyOf(scope, key);
    const size = plainSize(info.size);
    const { start, end = size - 1 } = range;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start)
      throw new RangeError(`artifact ${key}: invalid range ${JSON.stringify(range)}`);
    if (start >= size)
      throw new RangeError(`artifact ${key}: range starts at ${start}, past its ${size} bytes`);
    const plan = planRange(info.size, start, end);
    const segments = await this.inner.get(key, { range: { start: plan.cipherStart, end: plan.cipherEnd } });
    return Readable.from(decryptRange(dataKey, key, header, plan, segments));
  }

  async stat(key: string): Promise<ArtifactInfo | null> {
    const info = await this.inner.stat(key);
    return info && this.plain(info);
  }

  async *list(prefix: string): AsyncIterable<ArtifactInfo> {
    for await (const info of this.inner.list(prefix)) yield await this.plain(info);
  }

  delete(key: string): Promise<boolean> {
    return this.inner.delete(key);
  }

  deletePrefix(prefix: string): Promise<number> {
    return this.inner.deletePrefix(prefix);
  }

  removeIncomplete(olderThan: Date): Promise<number> {
    return this.inner.removeIncomplete(olderThan);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /**
   * What the caller stored: its size from the layout, its sha256 from the sealed trailer; an artifact
   * that may be plaintext and has no cipher header, as stored.
   */
  private async plain(info: ArtifactInfo): Promise<ArtifactInfo> {
    const scope = this.scopeOf(info.key);
    if (!scope || info.size < sealedSize(0)) return info;
    const dataKey = await this.keyring.existingKey(scope);
    const mayBePlain = this.mayBePlain(info.key);
    // Left behind by a deleted clone: no longer readable, reported as stored.
    if (!dataKey && !mayBePlain) return { ...info, size: plainSize(info.size) };
    const header = await readAll(
      await this.inner.get(info.key, { range: { start: 0, end: HEADER_SIZE - 1 } }),
    );
    if (mayBePlain && !isSealed(header)) return info;
    if (!dataKey) return { ...info, size: plainSize(info.size) };
    const trailer = await readAll(
      await this.inner.get(info.key, { range: { start: info.size - TRAILER_SIZE, end: info.size - 1 } }),
    );
    return { ...info, size: plainSize(info.size), sha256: sealedSha256(dataKey, info.key, header, trailer) };
  }

  /** A destroyed key reads as a missing artifact: after crypto-shredding the data is gone. */
  private async keyOf(scope: string, key: string): Promise<Buffer> {
    const dataKey = await this.keyring.existingKey(scope);
    if (!dataKey) throw new ArtifactNotFoundError(key);
    return dataKey;
  }
}

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
