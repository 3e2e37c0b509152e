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

const none = 1;
const cyrillicLetter = 2;
const englishLetter = 3;
const otherLatinLetter = 4;
const otherLetter = 5;

/** What a (lowercased) character is, by Unicode script; decided by regex once per code unit, then cached. */
function classify(ch: string): number {
  if (/\p{Script=Cyrillic}/u.test(ch)) return cyrillicLetter;
  if (/\p{Script=Latin}/u.test(ch)) return /[a-z]/.test(ch) ? englishLetter : otherLatinLetter;
  return /\p{L}/u.test(ch) ? otherLetter : none;
}
const classOfUnit = new Uint8Array(0x10000);

function classOfCharAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  const known = classOfUnit[code]!;
  if (known !== 0) return known;
  const cls = classify(text[i]!);
  if (code < 0xd800 || code > 0xdfff) classOfUnit[code] = cls;
  return cls;
}

/** The class of each astral character met so far (few distinct ones: emoji, mostly). */
const classOfAstralCode = new Map<number, number>();

function classOfAstral(text: string, i: number): number {
  const code = text.codePointAt(i)!;
  let cls = classOfAstralCode.get(code);
  if (cls === undefined) {
    cls = classify(String.fromCodePoint(code));
    if (classOfAstralCode.size < 4096) classOfAstralCode.set(code, cls);
  }
  return cls;
}

/** Letters unique to Russian (ы э ъ ё) and to Ukrainian (і ї є ґ): double evidence. */
const ruOnly = new Set([0x44b, 0x44d, 0x44a, 0x451]);
const ukOnly = new Set([0x456, 0x457, 0x454, 0x491]);

/** Whether each code unit is a letter (\p{L}): 0 not yet known, 1 yes, 2 no. */
const letterUnit = new Uint8Array(0x10000);

function isLetterUnit(code: number): boolean {
  let known = letterUnit[code]!;
  if (known === 0) {
    known = /\p{L}/u.test(String.fromCharCode(code)) ? 1 : 2;
    letterUnit[code] = known;
  }
  return known === 1;
}

const astralLetters = new Map<number, boolean>();

function isAstralLetter(code: number): boolean {
  let known = astralLetters.get(code);
  if (known === undefined) {
    known = /\p{L}/u.test(String.fromCodePoint(code));
    if (astralLetters.size < 4096) astralLetters.set(code, known);
  }
  return known;
}

/**
 * The words of a text as `text.split(/[^\p{L}']+/u).filter(Boolean)` gives them (runs of letters and
 * apostrophes, by code point), without the regex: one cached look-up per code unit.
 */
function wordsOf(text: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let inWord: boolean;
    let next = i;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        inWord = isAstralLetter(text.codePointAt(i)!);
        next = i + 1;
      } else inWord = false;
    } else inWord = code === 0x27 || isLetterUnit(code);
    if (inWord) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      words.push(text.slice(start, i));
      start = -1;
    }
    i = next;
  }
  if (start >= 0) words.push(text.slice(start));
  return words;
}

/** A script-and-stopword guess for one message; null when it has no letters to judge by. */
export function guessLanguage(text: string): Language | null {
  const lower = text.toLowerCase();
  let cyrillic = 0;
  let latin = 0;
  let otherLetters = 0;
  let ru = 0;
  let uk = 0;
  let nonEnglishLatin = false;
  for (let i = 0; i < lower.length; i++) {
    const code = lower.charCodeAt(i);
    let cls: number;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < lower.length) {
      const next = lower.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        cls = classOfAstral(lower, i); // an astral character (an emoji, mostly)
        i++;
      } else cls = classOfCharAt(lower, i);
    } else cls = classOfCharAt(lower, i);
    if (cls === cyrillicLetter) {
      cyrillic++;
      if (ruOnly.has(code)) ru += 2;
      else if (ukOnly.has(code)) uk += 2;
    } else if (cls === englishLetter) latin++;
    else if (cls === otherLatinLetter) {
      latin++;
      nonEnglishLatin = true;
    } else if (cls === otherLetter) otherLetters++;
  }
  if (cyrillic + latin + otherLetters === 0) return null;
  if (otherLetters > cyrillic && otherLetters > latin) return "other";
  const words = wordsOf(lower);
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
