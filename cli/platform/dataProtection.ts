import { resolve } from "node:path";
import type { CloneKeys } from "../../api/services/artifactSweeper.js";
import {
  cloneOfPersonalDataScope,
  erasedPersonalFields,
  mayBeStoredInPlaintext,
  personalDataScopeOfArtifact,
  personalDataScopeOfClone,
  personalDataScopeOfStream,
} from "../../domain/clone/personalData.js";
import type { ArtifactStore } from "../../infra/blobstore/artifactStore.js";
import { EncryptedArtifactStore } from "../../infra/blobstore/encryptedArtifactStore.js";
import { type DataKeyDoc, DataKeyring } from "../../infra/crypto/dataKeyring.js";
import { MasterKey } from "../../infra/crypto/masterKey.js";
import { type PersonalDataPolicy, PersonalDataSealer } from "../../infra/crypto/personalDataSealer.js";
import type { DocumentStore } from "../../infra/docstore/documentStore.js";
import { SealingDocumentStore } from "../../infra/docstore/sealingDocumentStore.js";
import { readModelSealing } from "../../projections/readModelSealing.js";
import type { PlatformConfig } from "../config/platformConfig.js";
import type { Logger } from "./logger.js";
import { readConfiguredSecret, readOrCreateSecret } from "./secretFile.js";

/** The document-store collection of wrapped data keys; not a read model: a rebuild never drops it. */
export const DATA_KEYS_COLLECTION = "data_keys";

const clonePolicy: PersonalDataPolicy = {
  scopeOf: personalDataScopeOfStream,
  erasedFieldsOf: (type) =>
    (erasedPersonalFields as Record<string, Record<string, unknown> | undefined>)[type],
};

export interface DataProtection {
  keyring: DataKeyring;
  sealer: PersonalDataSealer;
  /** Wraps an artifact store so clones' personal artifacts are stored encrypted. */
  protect(artifacts: ArtifactStore): ArtifactStore;
  /** Wraps the document store so the personal fields of clones' read models are stored encrypted. */
  protectDocuments(documents: DocumentStore): DocumentStore;
}

/** The master key from configuration, or the embedded default's key file (made, owner-only, on first use). */
export async function loadMasterKey(
  config: PlatformConfig,
  logger: Logger,
): Promise<{ current: MasterKey; previous: MasterKey[] }> {
  const s = config.security;
  const previous = (s.previousMasterKeys ?? []).map((k, i) =>
    MasterKey.fromBase64(k, `security.previousMasterKeys[${i}]`),
  );
  if (s.masterKey) return { current: MasterKey.fromBase64(s.masterKey, "security.masterKey"), previous };
  if (s.masterKeyFile) {
    const text = await readConfiguredSecret(s.masterKeyFile, "security.masterKeyFile");
    return { current: MasterKey.fromBase64(text, `security.masterKeyFile ${s.masterKeyFile}`), previous };
  }
  const file = resolve(config.dataDir, "master.key");
  const { text, created } = await readOrCreateSecret(file, () => `${MasterKey.generate().base64}\n`);
  const current = MasterKey.fromBase64(text, file);
  if (!created) return { current, previous };
  const distributed =
    config.eventStore.kind !== "sqlite" ||
    config.documentStore.kind !== "sqlite" ||
    config.artifacts.kind !== "local";
  logger.warn(
    { file, masterKeyId: current.id },
    distributed
      ? "made a master key in the data folder: on distributed engines set security.masterKey (the same in every process) and keep it apart from the data"
      : "made a master key in the data folder; back it up: without it no clone's data can be read",
  );
  return { current, previous };
}

export async function openDataProtection(
  config: PlatformConfig,
  documents: DocumentStore,
  logger: Logger,
): Promise<DataProtection> {
  const master = await loadMasterKey(config, logger);
  const keyring = new DataKeyring(
    documents.collection<DataKeyDoc>(DATA_KEYS_COLLECTION),
    master.current,
    master.previous,
    config.security.keyCacheSeconds * 1000,
  );
  return {
    keyring,
    sealer: new PersonalDataSealer(keyring, clonePolicy),
    protect: (artifacts) =>
      new EncryptedArtifactStore(artifacts, keyring, personalDataScopeOfArtifact, mayBeStoredInPlaintext),
    protectDocuments: (documents) => new SealingDocumentStore(documents, keyring, readModelSealing),
  };
}

/**
 * The keyring seen per clone, for deleteClone and the sweeper. A destroyed key is flushed out of the
 * document store's WAL at once (`documents`: the store the keyring keeps its keys in).
 */
export function cloneKeysOf(keyring: DataKeyring, documents: DocumentStore): CloneKeys {
  return {
    live: async () =>
      (await keyring.liveScopes()).flatMap(({ scope, createdAt }) => {
        const cloneId = cloneOfPersonalDataScope(scope);
        return cloneId ? [{ cloneId, createdAt }] : [];
      }),
    destroy: async (cloneId) => {
      await keyring.destroy(personalDataScopeOfClone(cloneId));
      await documents.flushDeletions();
    },
  };
}
