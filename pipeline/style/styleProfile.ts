import { Language } from "./languageGuess.js";
import { Ending } from "./messageEnding.js";

/**
 * How someone writes, per message. Shares are fractions in [0, 1] of `messages` unless noted; every
 * field is 0 (or null for the median) when there were no messages.
 */
export interface StyleProfile {
  messages: number;
  /** Median message length in Unicode code points. */
  medianLength: number | null;
  meanLength: number;
  /** Emoji (grapheme clusters) per message. */
  emojiPerMessage: number;
  /** Share of messages with at least one emoji. */
  emojiMessageShare: number;
  /** Share, among messages that have a cased letter, whose first letter is lowercase. */
  lowercaseStartShare: number;
  /** Share of messages by how they end. */
  endings: Record<Ending, number>;
  /** Share of messages sent as part of a burst (two or more messages in a row by the same person). */
  burstShare: number;
  /** Share of turns that are bursts (turns made of two or more messages). */
  burstTurnShare: number;
  /** Share, among messages with letters, of each guessed language. */
  languages: Record<Language, number>;
}
