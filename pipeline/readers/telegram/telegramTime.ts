import { utcWallTime } from "../utcWallTime.js";

const UNIX_SECONDS = /^-?\d{1,12}$/;
const ISO_WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

/** `date_unixtime` (a string of epoch seconds since 2022; tolerated as a number) → epoch ms, or null. */
export function fromUnixTime(value: unknown): number | null {
  if (typeof value === "number") return Number.isInteger(value) ? value * 1000 : null;
  if (typeof value === "string" && UNIX_SECONDS.test(value)) return Number(value) * 1000;
  return null;
}

/**
 * `date` (`YYYY-MM-DDTHH:MM:SS` in the exporting PC's zone, no offset) → epoch ms read as UTC wall time,
 * the model's rule for zone-less exports; null when it is not such a date.
 */
export function fromWallTime(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const m = ISO_WALL_TIME.exec(value);
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return utcWallTime(year, month, day, hour, minute, second);
}
