import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";

/**
 * The platform's Ed25519 key: it signs what the one-command install downloads (the bundle's and each
 * package's sha256, see domain/artifacts/installStatements.ts). Its public key, in the install command a
 * person pastes, is the platform's identity: a tampered bundle store, mirror or man in the middle cannot
 * make the installer run anything the platform did not sign.
 */
export class SigningKey {
  /** SPKI DER in base64 (60 characters for Ed25519): what the install command pins. */
  readonly publicKeyBase64: string;

  private constructor(private readonly privateKey: KeyObject) {
    this.publicKeyBase64 = createPublicKey(privateKey)
      .export({ type: "spki", format: "der" })
      .toString("base64");
  }

  /** From PKCS#8 PEM text; throws naming where it came from (never the key). */
  static fromPem(pem: string, where: string): SigningKey {
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch {
      throw new Error(`${where}: not a PEM private key`);
    }
    if (key.asymmetricKeyType !== "ed25519") throw new Error(`${where}: the signing key must be Ed25519`);
    return new SigningKey(key);
  }

  static generate(): { key: SigningKey; pem: string } {
    const { privateKey } = generateKeyPairSync("ed25519");
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    return { key: new SigningKey(privateKey), pem };
  }

  /** The base64 signature of a statement's UTF-8 bytes. */
  sign(statement: string): string {
    return sign(null, Buffer.from(statement, "utf8"), this.privateKey).toString("base64");
  }
}

/** Checks a signature against a public key in the install command's form (SPKI DER base64). */
export function verifySignature(publicKeyBase64: string, statement: string, signature: string): boolean {
  const publicKey = createPublicKey({
    key: Buffer.from(publicKeyBase64, "base64"),
    format: "der",
    type: "spki",
  });
  return verify(null, Buffer.from(statement, "utf8"), publicKey, Buffer.from(signature, "base64"));
}
