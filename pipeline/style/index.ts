export { countEmoji } from "./emojiCount.js";
export { guessLanguage, type Language } from "./languageGuess.js";
export { startsLowercase } from "./letterCase.js";
export { type Ending, messageEnding } from "./messageEnding.js";
export { type ProfileTextsOptions, styleProfile } from "./profileTexts.js";
export { StyleAccumulator } from "./styleAccumulator.js";
export type { StyleProfile } from "./styleProfile.js";
