import { ChatType } from "../model/conversation.js";
import { RedactionCounts } from "../privacy/piiKind.js";
import { ChatSkipReason } from "../samples/dropReason.js";
import { StyleProfile } from "../style/styleProfile.js";
import { EffectiveOptions } from "./buildOptions.js";
import { SkippedInputsSummary } from "./skippedInputs.js";

export interface ChatStats {
  id: string;
  name: string | null;
  type: ChatType;
  source: string | null;
  messages: number;
  ownerMessages: number;
  /** Samples written (after deduplication). */
  samples: number;
  /** Why the chat, or all of it from some point, was left out; null when used. */
  skipped: ChatSkipReason | null;
}

/** stats.json: what a build read, kept, dropped and why. */
export interface DatasetStats {
  owner: {
    id: string;
    ids: string[];
    name: string;
    /**
     * Per identity (one person across exports): the owner's messages it wrote and the samples of the chats
     * where it was the owner (a chat's samples go to the identity with most of the owner's messages there).
     */
    identities?: { id: string; messages: number; samples: number }[];
  };
  messagesRead: number;
  ownerMessages: number;
  samples: number;
  trainSamples: number;
  valSamples: number;
  /**
   * How val.jsonl was made: whole sessions, or (too few sessions) the last replies inside sessions; with
   * nothing held out, why ("tooFewSamples", "tooFewReplies", "valFractionZero"), for every report to say.
   */
  heldOut: {
    source: "sessions" | "turns" | null;
    reason: "tooFewSamples" | "tooFewReplies" | "valFractionZero" | null;
  };
  /** The system prompt every sample starts with (null: none); the trainer's prompt contract records it. */
  systemPrompt: string | null;
  /** Opener samples written (conversations the owner started: system, then the owner's turn) and their messages. */
  openers: { samples: number; messages: number };
  /** Messages that reached no sample, by reason (message or chat reasons). */
  dropped: Record<string, number>;
  /** Whole samples discarded: noOwnerWords, duplicate, nearDuplicate. */
  droppedSamples: Record<string, number>;
  /** Other people's messages cut to fit maxTurnChars. */
  truncatedMessages: number;
  /** Sessions cut at maxSessionMessages rather than at a silence. */
  cutSessions: number;
  /** Replacements in the written samples, by kind. */
  redacted: RedactionCounts;
  chats: ChatStats[];
  skippedInputs: SkippedInputsSummary;
  /** Of the owner's messages in the written assistant turns. */
  styleProfile: StyleProfile;
  options: EffectiveOptions;
}
