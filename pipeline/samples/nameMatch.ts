/** Names compared the way people type them: Unicode-normalised, case-folded, spaces collapsed. */
export function normaliseName(name: string): string {
  return name.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/** Whether an id or a name matches any entry of a list of ids and names. */
export function matchesAny(list: readonly string[], id: string | null, name: string | null): boolean {
  if (list.length === 0) return false;
  const normalisedName = name ? normaliseName(name) : null;
  return list.some(
    (entry) => entry === id || (normalisedName !== null && normaliseName(entry) === normalisedName),
  );
}
