/**
 * A calendar date and time read as UTC wall time → epoch ms, or null when it is not a real date
 * (Date.UTC rolls 2023-02-30 over into March; a date that does not round-trip is not a date).
 * Shared by the readers of zone-less exports.
 */
export function utcWallTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number | null {
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(ms);
  if (back.getUTCDate() !== day || back.getUTCMonth() !== month - 1 || back.getUTCHours() !== hour)
    return null;
  return ms;
}
