export { build } from "./build.js";
export {
  type BuildOptions,
  DatasetOptionsError,
  type EffectiveOptions,
  effectiveOptions,
} from "./buildOptions.js";
export { combineSummaries } from "./combineSummaries.js";
export type { ChatStats, DatasetStats } from "./datasetStats.js";
export { inspect } from "./inspect.js";
export {
  type InspectAndBuildOptions,
  type InspectAndBuildResult,
  inspectAndBuild,
} from "./inspectAndBuild.js";
export { type DatasetOwner, OwnerResolutionError, type ResolvedOwner, resolveOwner } from "./owner.js";
export { type ReadOptions, type ReadProgress, type RecordSource, readRecords } from "./recordSource.js";
export { type SkippedInputsSummary, skipMessage } from "./skippedInputs.js";
export type { AuthorCount, ChatSummary, ParticipantSummary, SourceSummary } from "./sourceSummary.js";
export { defaultSystemPrompt, systemPromptFor } from "./systemPrompt.js";
export { isValidationSession, sessionSplitPoint } from "./valSplit.js";
