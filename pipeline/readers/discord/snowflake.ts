/** Snowflakes are strings in DCE; numbers are accepted too (assembled as strings, so no precision is lost). */
export function idOf(value: unknown): string | null {
  if (typeof value === "string") return value.length > 0 ? value : null;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}
