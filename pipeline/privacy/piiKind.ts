/** The kinds of personal data the redactor replaces, each with the placeholder the model learns to emit. */
export type PiiKind = "url" | "email" | "iban" | "card" | "phone" | "address";

export const placeholderOf: Readonly<Record<PiiKind, string>> = {
  url: "<URL>",
  email: "<EMAIL>",
  iban: "<IBAN>",
  card: "<CARD>",
  phone: "<PHONE>",
  address: "<ADDRESS>",
};

export type RedactionCounts = Record<PiiKind, number>;

export function emptyRedactionCounts(): RedactionCounts {
  return { url: 0, email: 0, iban: 0, card: 0, phone: 0, address: 0 };
}

/** One detector: finds the spans of its kind; the redactor replaces them. */
export interface PiiDetector {
  kind: PiiKind;
  /** Non-overlapping [start, end) spans, in order. */
  find(text: string): Array<[number, number]>;
}

/** Runs a global regex and keeps the matches a validator accepts, possibly narrowed to a sub-span. */
export function regexSpans(
  text: string,
  pattern: RegExp,
  accept: (match: RegExpExecArray) => [number, number] | null = (m) => [m.index, m.index + m[0].length],
): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const span = accept(m);
    if (span) spans.push(span);
    if (m[0].length === 0) pattern.lastIndex++;
  }
  return spans;
}
