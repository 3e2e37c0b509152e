import { resolve } from "node:path";
import { SigningKey } from "../../infra/crypto/signingKey.js";
import type { PlatformConfig } from "../config/platformConfig.js";
import type { Logger } from "./logger.js";
import { readConfiguredSecret, readOrCreateSecret } from "./secretFile.js";

/**
 * The platform's install-signing key: from configuration (`security.signingKey` PEM text or
 * `security.signingKeyFile`), else the embedded default's `<dataDir>/signing.key`, made on first start.
 * Every API process of one platform needs the same key: install commands already pasted pin its public key.
 */
export async function loadSigningKey(config: PlatformConfig, logger: Logger): Promise<SigningKey> {
  const s = config.security;
  if (s.signingKey) return SigningKey.fromPem(s.signingKey, "security.signingKey");
  if (s.signingKeyFile)
    return SigningKey.fromPem(
      await readConfiguredSecret(s.signingKeyFile, "security.signingKeyFile"),
      `security.signingKeyFile ${s.signingKeyFile}`,
    );
  const file = resolve(config.dataDir, "signing.key");
  const { text, created } = await readOrCreateSecret(file, () => SigningKey.generate().pem);
  const key = SigningKey.fromPem(text, file);
  if (created)
    logger.warn(
      { file, publicKey: key.publicKeyBase64 },
      "made the install-signing key in the data folder; back it up: install commands already given out pin its public key",
    );
  return key;
}
