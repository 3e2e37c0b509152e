import { StyleAccumulator } from "./styleAccumulator.js";
import { StyleProfile } from "./styleProfile.js";

export interface ProfileTextsOptions {
  /**
   * Treat each text as a turn whose messages are separated by this string (the dataset joins a burst
   * with "\n"), so generated replies can be compared with the owner's per-message profile.
   */
  splitTurnsOn?: string;
}

/** The style profile of any list of texts, e.g. a model's generated replies. */
export function styleProfile(texts: Iterable<string>, options: ProfileTextsOptions = {}): StyleProfile {
  const accumulator = new StyleAccumulator();
  for (const text of texts) {
    if (options.splitTurnsOn === undefined) accumulator.add(text);
    else accumulator.addTurn(text.split(options.splitTurnsOn).filter((part) => part.trim().length > 0));
  }
  return accumulator.profile();
}
