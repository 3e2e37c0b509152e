/** Bounds on what a clone may hold; shared by the decider and the API's input docs. */
export const cloneLimits = {
  nameMax: 80,
  displayNameMax: 80,
  systemPromptMax: 8000,
  fileNameMax: 255,
  sourcesMax: 100,
  reasonMax: 4000,
  hyperparametersMax: 50,
  /** Chats and participants kept in a SourceInspected event (the biggest first). */
  inspectionListMax: 500,
  /** Identities of the owner in one dataset request (one person across exports). */
  ownerIdentitiesMax: 20,
  /** Entries of one include/exclude list of a dataset request. */
  selectionListMax: 1000,
  /** Install tokens of a clone that are neither revoked nor expired. */
  activeInstallTokensMax: 20,
  /** Blind-test trials drawn and not yet answered, per clone. */
  openBlindTrialsMax: 20,
  /** The owner's corrections a clone may hold, the turns of one's context and the length of one text. */
  correctionsMax: 10_000,
  correctionContextTurnsMax: 40,
  correctionTextMax: 8000,
  correctionChannelMax: 40,
  installTokenNameMax: 80,
  /** Longest life of an install token. */
  installTokenMaxSeconds: 90 * 24 * 3600,
} as const;

/** BCP 47 language tags as users type them: `ru`, `en`, `ru-RU`, `pt-BR`. */
export const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/;
