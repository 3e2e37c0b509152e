import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** AES-256-GCM of one small value with a random nonce: nonce (12) | ciphertext | tag (16). */
export function sealValue(key: Buffer, plain: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad);
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]);
}

/** The inverse of sealValue; null when the value fails authentication (tampered, wrong key or AAD). */
export function openValue(key: Buffer, sealed: Buffer, aad: Buffer): Buffer | null {
  const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, 12));
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
  } catch {
    return null;
  }
}
