import { parseArtifactKey } from "../artifacts/artifactKeys.js";
import { type CloneEventData, type CloneEventType, emptySourceInspection } from "./events.js";

/**
 * What of a clone is personal data, encrypted under the clone's own key and unreadable once the clone is
 * deleted (its key destroyed). For events: the personal fields of each type, each with the value it reads
 * as after deletion (valid against the event's schema, so the log still replays). Ids, counts, hashes and
 * states stay readable: they say what happened, not what anybody wrote.
 */
export const erasedPersonalFields: { [T in CloneEventType]?: Partial<CloneEventData<T>> } = {
  CloneCreated: { name: "" },
  CloneRenamed: { name: "" },
  PersonaConfigured: { displayName: "", systemPrompt: "" },
  SourceUploaded: { fileName: "" },
  SourceInspected: { inspection: emptySourceInspection() },
  DatasetRequested: {
    spec: { owner: null, includeChats: [], excludeChats: [], includeContacts: [], excludeContacts: [] },
    // The file names are personal; the keys beside them are ids only, but they travel together.
    sources: [],
  },
  DatasetFailed: { reason: "" },
  TrainingFailed: { reason: "" },
  // The fidelity report quotes held-out messages and the clone's answers to them.
  TrainingCompleted: { metrics: {} },
  InstallTokenCreated: { name: "" },
  // The owner's words, the conversation they answered and the clone's draft.
  CorrectionRecorded: { context: [], draft: "", ownerText: "" },
};

/** The clone whose key protects a stream, or null: `clone-<id>` streams are encrypted per clone. */
export const personalDataScopeOfStream = (streamId: string): string | null =>
  streamId.startsWith("clone-") ? `clone:${streamId.slice("clone-".length)}` : null;

/**
 * The clone whose key protects an artifact, or null: raw exports (and their inspection summaries, which
 * name chats and people), datasets, training outputs and published bundles (the persona and the adapter
 * trained on the person's messages; served decrypted to install tokens) are encrypted; a kind the layout
 * does not know is not.
 */
export function personalDataScopeOfArtifact(key: string): string | null {
  const ref = parseArtifactKey(key);
  return ref && ref.kind !== "unknown" ? personalDataScopeOfClone(ref.cloneId) : null;
}

/**
 * Artifacts of a kind that was stored in plaintext before it was encrypted: bundles published before
 * issue 16 (item 6). Such an artifact without the cipher's header is read back as it is; any other
 * encrypted kind without it is refused (a plaintext put in place of a ciphertext is not trusted).
 */
export const mayBeStoredInPlaintext = (key: string): boolean => parseArtifactKey(key)?.kind === "bundle";

/** The key scope of a clone, for destroying it when the clone is deleted. */
export const personalDataScopeOfClone = (cloneId: string): string => `clone:${cloneId}`;

/** The clone a key scope belongs to, or null for a scope that is not a clone's. */
export const cloneOfPersonalDataScope = (scope: string): string | null =>
  scope.startsWith("clone:") ? scope.slice("clone:".length) : null;
