/** Synthetic chat authors for the fidelity tests: a seeded generator, so every run writes the same texts. */

/** mulberry32: a small, seeded PRNG returning floats in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface AuthorStyle {
  /** Starts with a lowercase letter (else capitalised). */
  lowercase: boolean;
  /** What a message ends with, picked uniformly. */
  endings: readonly string[];
  /** Chance of a comma after each word but the last. */
  comma: number;
  /** Words per message, inclusive. */
  words: readonly [number, number];
}

const vocabulary = [
  "привет",
  "как",
  "дела",
  "сегодня",
  "завтра",
  "пойдём",
  "гулять",
  "работа",
  "кофе",
  "ладно",
  "конечно",
  "да",
  "нет",
  "может",
  "вечером",
  "дома",
  "погода",
  "хорошо",
  "устал",
  "кино",
  "встретимся",
  "давай",
  "думаю",
  "знаешь",
  "интересно",
  "ok",
  "thanks",
  "meeting",
] as const;

/** A casual writer: lowercase, no final period, ")" smileys and emoji, short. */
export const casual: AuthorStyle = {
  lowercase: true,
  endings: ["", ")", "))", " 😊", ""],
  comma: 0.05,
  words: [1, 5],
};
/** A formal writer: capitalised, periods and questions, commas, longer. */
export const formal: AuthorStyle = {
  lowercase: false,
  endings: [".", ".", "?", "!"],
  comma: 0.35,
  words: [4, 10],
};

export function writeLike(style: AuthorStyle, random: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const count = style.words[0] + Math.floor(random() * (style.words[1] - style.words[0] + 1));
  const words: string[] = [];
  for (let i = 0; i < count; i++)
    words.push(pick(vocabulary) + (i < count - 1 && random() < style.comma ? "," : ""));
  let text = words.join(" ");
  if (!style.lowercase) text = text.charAt(0).toUpperCase() + text.slice(1);
  return text + pick(style.endings);
}

export function messages(style: AuthorStyle, count: number, seed: number): string[] {
  const random = seeded(seed);
  return Array.from({ length: count }, () => writeLike(style, random));
}
