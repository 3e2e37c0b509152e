/**
 * WhatsApp writes local wall-clock time with no zone. The model reads zone-less times as UTC wall time, so a
 * message written at 23:59 on 31 Dec 2020 becomes Date.UTC(2020, 11, 31, 23, 59): comparable between chats of
 * one export, and convertible later if the user tells us their zone.
 */

export type Meridiem = "am" | "pm" | null;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/**
 * 12-hour clock to 24-hour: "12 AM" is midnight and "12 PM" noon. "0:08 a. m." occurs in the corpus and is
 * read as 00:08. An hour above 12 with a marker can only be a 24-hour time with a stray marker, so the
 * marker is ignored rather than the message lost. Returns NaN for hours no clock shows.
 */
export function to24Hour(hour: number, meridiem: Meridiem): number {
  if (hour > 23) return Number.NaN;
  if (meridiem === null || hour > 12) return hour;
  if (meridiem === "am") return hour === 12 ? 0 : hour;
  return hour === 12 ? 12 : hour + 12;
}

/** Epoch milliseconds of a UTC wall time, or NaN when any field is out of range (month 13, 31 April). */
export function wallClockMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  if (!(hour >= 0 && hour <= 23) || minute > 59 || second > 59) return Number.NaN;
  return daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). Used instead of Date.UTC,
 * which V8 implements as a C++ builtin costing more than the rest of a header's parsing.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Two-digit years are 20xx: WhatsApp did not exist before 2009. */
export function fullYear(value: number, digits: number): number {
  return digits <= 2 ? 2000 + value : value;
}
