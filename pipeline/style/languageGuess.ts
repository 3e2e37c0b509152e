export type Language = "ru" | "uk" | "en" | "other";

// Short frequent words decide between languages that share a script; letters unique to one language
// (ы/э/ъ/ё vs і/ї/є/ґ) are stronger evidence and count double.
const ruWords = new Set(
  "и в не на что я ты он она мы вы они это как да нет но так же ну уже все всё меня тебя тебе мне был была было очень тоже только если когда где здесь сейчас просто может можно надо ещё еще или".split(
    " ",
  ),
);
const ukWords = new Set(
  "і й та не на що я ти він вона ми ви вони це як так але ну вже все мене тебе тобі мені був була було дуже теж тільки якщо коли де тут зараз просто можна треба ще або".split(
    " ",
  ),
);
const enWords = new Set(
  "the a an and or but is are was were be to of in on at for with it this that i you he she we they not no yes do does did have has what how why when where so just can will".split(
    " ",
  ),
);

/** A script-and-stopword guess for one message; null when it has no letters to judge by. */
export function guessLanguage(text: string): Language | null {
  const lower = text.toLowerCase();
  let cyrillic = 0;
  let latin = 0;
  let otherLetters = 0;
  let ru = 0;
  let uk = 0;
  let nonEnglishLatin = false;
  for (const ch of lower) {
    if (/\p{Script=Cyrillic}/u.test(ch)) {
      cyrillic++;
      if ("ыэъё".includes(ch)) ru += 2;
      else if ("іїєґ".includes(ch)) uk += 2;
    } else if (/\p{Script=Latin}/u.test(ch)) {
      latin++;
      if (!/[a-z]/.test(ch)) nonEnglishLatin = true;
    } else if (/\p{L}/u.test(ch)) otherLetters++;
  }
  if (cyrillic + latin + otherLetters === 0) return null;
  if (otherLetters > cyrillic && otherLetters > latin) return "other";
  const words = lower.split(/[^\p{L}']+/u).filter(Boolean);
  if (cyrillic >= latin) {
    for (const w of words) {
      if (ruWords.has(w)) ru++;
      if (ukWords.has(w)) uk++;
    }
    return uk > ru ? "uk" : "ru";
  }
  // Latin letters beyond a–z (é, ñ, ß, ą…) mean another European language unless English words dominate.
  const english = words.filter((w) => enWords.has(w)).length;
  if (nonEnglishLatin && english === 0) return "other";
  return "en";
}
