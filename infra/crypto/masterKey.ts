import { createHash, randomBytes } from "node:crypto";
import { openValue, sealValue } from "./aesGcm.js";

/**
 * The key that wraps every data key (key-encryption key). It never encrypts data itself, so rotating it
 * means re-wrapping the small data-key documents only. Its id (a hash prefix) is stored beside each
 * wrapped key, so a process started with the wrong master key says so instead of failing obscurely.
 */
export class MasterKey {
  readonly id: string;

  private constructor(private readonly key: Buffer) {
    this.id = createHash("sha256").update("aiclone master key").update(key).digest("hex").slice(0, 16);
  }

  /** From the configuration's base64 text; throws naming the problem (never the key). */
  static fromBase64(text: string, where: string): MasterKey {
    const key = Buffer.from(text.trim(), "base64");
    if (key.length !== 32 || key.toString("base64") !== text.trim())
      throw new Error(`${where}: a master key is 32 random bytes in base64 (44 characters)`);
    return new MasterKey(key);
  }

  static generate(): { key: MasterKey; base64: string } {
    const bytes = randomBytes(32);
    return { key: new MasterKey(bytes), base64: bytes.toString("base64") };
  }

  /** AES-256-GCM; the scope is authenticated, so a wrapped key copied to another scope does not unwrap. */
  wrap(dataKey: Buffer, scope: string): string {
    return sealValue(this.key, dataKey, wrapAad(scope)).toString("base64");
  }

  unwrap(wrapped: string, scope: string): Buffer {
    const key = openValue(this.key, Buffer.from(wrapped, "base64"), wrapAad(scope));
    if (!key)
      throw new Error(`the data key of ${scope} does not unwrap: damaged, or wrapped for another scope`);
    return key;
  }
}

const wrapAad = (scope: string): Buffer => Buffer.from(`aiclone data key ${scope}`);
