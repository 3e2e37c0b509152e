/**
 * The form of text the full-text index sees, for chunks and queries alike: Unicode-normalised, with "ё"
 * folded to "е" because Russian writes the two interchangeably ("ёлка" / "елка").
 */
export function searchText(text: string): string {
  return text.normalize("NFC").replace(/ё/g, "е").replace(/Ё/g, "Е");
}
