import { countEmoji } from "./emojiCount.js";
import { guessLanguage, Language } from "./languageGuess.js";
import { startsLowercase } from "./letterCase.js";
import { Ending, messageEnding } from "./messageEnding.js";
import { ReservoirMedian } from "./reservoirMedian.js";
import { StyleProfile } from "./styleProfile.js";

const endings: readonly Ending[] = [
  "period",
  "exclamation",
  "question",
  "ellipsis",
  "smiley",
  "none",
  "other",
];
const languages: readonly Language[] = ["ru", "uk", "en", "other"];
const endingIndex = Object.fromEntries(endings.map((e, i) => [e, i])) as Record<Ending, number>;
const languageIndex = Object.fromEntries(languages.map((l, i) => [l, i])) as Record<Language, number>;

/** The number of code points (`[...text].length`, without building the array). */
export function codePointLength(text: string): number {
  let pairs = 0;
  for (let i = 0; i + 1 < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return text.length - pairs;
}

/** Builds a StyleProfile from a stream of turns in constant memory (counters plus a bounded reservoir). */
export class StyleAccumulator {
  private messages = 0;
  private turns = 0;
  private burstTurns = 0;
  private burstMessages = 0;
  private totalLength = 0;
  private readonly lengths = new ReservoirMedian();
  private emoji = 0;
  private withEmoji = 0;
  private cased = 0;
  private lowercase = 0;
  private withLetters = 0;
  private readonly endingCounts = Object.fromEntries(endings.map((e) => [e, 0])) as Record<Ending, number>;
  private readonly languageCounts = Object.fromEntries(languages.map((l) => [l, 0])) as Record<
    Language,
    number
  >;

  /** One turn: the messages one person sent in a row. */
  addTurn(messages: readonly string[]): void {
    const features = new Int32Array(messages.length * MESSAGE_FEATURES);
    for (const [i, text] of messages.entries()) writeMessageFeatures(text, features, i * MESSAGE_FEATURES);
    this.addTurnFeatures(features, 0, messages.length);
  }

  /** One message on its own (a turn of one). */
  add(text: string): void {
    this.addTurn([text]);
  }

  profile(): StyleProfile {
    const n = this.messages;
    const share = (count: number, of: number) => (of === 0 ? 0 : count / of);
    return {
      messages: n,
      medianLength: this.lengths.median(),
      meanLength: share(this.totalLength, n),
      emojiPerMessage: share(this.emoji, n),
      emojiMessageShare: share(this.withEmoji, n),
      lowercaseStartShare: share(this.lowercase, this.cased),
      endings: Object.fromEntries(endings.map((e) => [e, share(this.endingCounts[e], n)])) as Record<
        Ending,
        number
      >,
      burstShare: share(this.burstMessages, n),
      burstTurnShare: share(this.burstTurns, this.turns),
      languages: Object.fromEntries(
        languages.map((l) => [l, share(this.languageCounts[l], this.withLetters)]),
      ) as Record<Language, number>,
    };
  }

  /**
   * One turn whose messages' features were written by writeMessageFeatures (possibly on another thread):
   * `messages` of them, from index `at` of `features`.
   */
  addTurnFeatures(features: Int32Array, at: number, messages: number): void {
    if (messages === 0) return;
    this.turns++;
    if (messages >= 2) {
      this.burstTurns++;
      this.burstMessages += messages;
    }
    for (let i = 0; i < messages; i++) this.addFeatures(features, (at + i) * MESSAGE_FEATURES);
  }

  private addFeatures(features: Int32Array, at: number): void {
    this.messages++;
    const length = features[at]!;
    this.totalLength += length;
    this.lengths.add(length);
    const emoji = features[at + 1]!;
    this.emoji += emoji;
    if (emoji > 0) this.withEmoji++;
    const lower = features[at + 2]!;
    if (lower >= 0) {
      this.cased++;
      if (lower === 1) this.lowercase++;
    }
    this.endingCounts[endings[features[at + 3]!]!]++;
    const language = features[at + 4]!;
    if (language >= 0) {
      this.withLetters++;
      this.languageCounts[languages[language]!]++;
    }
  }
}

/** Numbers per message in a features array: length, emoji, lowercase start, ending, language. */
export const MESSAGE_FEATURES = 5;

/**
 * What one message adds to a profile, as MESSAGE_FEATURES numbers from `features[at]`: its length in code
 * points, its emoji, whether it starts lowercase (1), uppercase (0) or with no letter (-1), its ending and
 * its language (indexes; -1 when it has no letters). Pure: it may run on another thread than the profile.
 */
export function writeMessageFeatures(text: string, features: Int32Array, at: number): void {
  features[at] = codePointLength(text);
  features[at + 1] = countEmoji(text);
  const lower = startsLowercase(text);
  features[at + 2] = lower === null ? -1 : lower ? 1 : 0;
  features[at + 3] = endingIndex[messageEnding(text)];
  const language = guessLanguage(text);
  features[at + 4] = language === null ? -1 : languageIndex[language];
}
