/**
 * Helpers of the plugin SDK, beside the interface (pluginApi.ts): what several plugins need and must not
 * copy from one another, since plugins never import each other.
 */
export { ConversationQueue } from "./kit/conversationQueue.js";
export { type IndexedFile, type IndexPlan, planIndex } from "./kit/indexPlan.js";
export { splitMessage } from "./kit/messageSplitter.js";
export { type FusedItem, type RankedList, reciprocalRankFusion } from "./kit/reciprocalRankFusion.js";
