import { utcWallTime } from "../utcWallTime.js";

const TITLE = /^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})(?: UTC([+-])(\d{2}):(\d{2}))?$/;

/**
 * tdesktop's date title, `dd.mm.yyyy hh:mm:ss UTC+03:00` (the offset since 2021; older exports have none),
 * → epoch ms. With the offset it is the real instant, equal to the JSON's `date_unixtime`; without, it is
 * read as UTC wall time, the rule for zone-less exports. Null when it is not such a date.
 */
export function fromDateTitle(title: string | null): number | null {
  const m = title === null ? null : TITLE.exec(title.trim());
  if (!m) return null;
  const [day, month, year, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wall = utcWallTime(year, month, day, hour, minute, second);
  if (wall === null || m[7] === undefined) return wall;
  const offset = (Number(m[8]) * 60 + Number(m[9])) * 60_000;
  return m[7] === "+" ? wall - offset : wall + offset;
}
