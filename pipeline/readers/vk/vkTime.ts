import { utcWallTime } from "../utcWallTime.js";

const MONTHS: Readonly<Record<string, number>> = {
  янв: 1,
  фев: 2,
  мар: 3,
  апр: 4,
  май: 5,
  мая: 5,
  июн: 6,
  июл: 7,
  авг: 8,
  сен: 9,
  окт: 10,
  ноя: 11,
  дек: 12,
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** `12 янв 2021 в 14:05:33` (Russian archives; also full month names) or `12 Jan 2021 at 14:05:33`. */
export const VK_DATE = /(\d{1,2}) ([\p{L}]+)\.? (\d{4}) (?:в|at) (\d{1,2}):(\d{2})(?::(\d{2}))?/u;

/**
 * A VK archive date → epoch ms, read as UTC wall time (the archive writes no zone: the time is the one the
 * account showed), or null when it is not such a date.
 */
export function fromVkDate(text: string): number | null {
  const m = VK_DATE.exec(text);
  if (!m) return null;
  const word = (m[2] ?? "").toLowerCase();
  const month = MONTHS[word.slice(0, 3)] ?? (word === "мая" || word === "май" ? 5 : undefined);
  if (month === undefined) return null;
  const [day, year, hour, minute] = [m[1], m[3], m[4], m[5]].map(Number) as [number, number, number, number];
  const second = Number(m[6] ?? 0);
  return utcWallTime(year, month, day, hour, minute, second);
}
