export { authorKeyOf } from "./authorKey.js";
export {
  ChatSampler,
  type ChatSamplerConfig,
  type SamplerEvents,
  type SamplerLimits,
} from "./chatSampler.js";
export { chatSkipReason, isOneToOne, noSelection, type SelectionLists } from "./chatSelection.js";
export type { ChatSkipReason, MessageDropReason, SampleDropReason } from "./dropReason.js";
export { messageText } from "./messageText.js";
export { matchesAny, normaliseName } from "./nameMatch.js";
export { maxNearDuplicateDistance, SampleDeduper } from "./sampleDeduper.js";
export type { ChatTurn, Role, Sample, Turn, TurnPart } from "./sampleTypes.js";
export { SessionSplitter } from "./sessionSplitter.js";
export { sessionWindows } from "./sessionWindows.js";
export { renderTurn, renderTurns } from "./turnRender.js";
