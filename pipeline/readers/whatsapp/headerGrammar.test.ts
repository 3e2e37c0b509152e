import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseHeader } from "./headerGrammar.js";

/** [line, parts, h, m, s, meridiem, body] for every layout of FORMATS.md §2.3 we accept. */
const ACCEPTED: [string, number[], number, number, number, string | null, string][] = [
  ["06/03/2017, 00:45 - Ann: hi", [6, 3, 2017], 0, 45, 0, null, "Ann: hi"],
  ["3/6/18, 1:55 p.m. - Ann: hi", [3, 6, 18], 1, 55, 0, "pm", "Ann: hi"],
  ["23/06/2018, 01:55 p.m. - Ann: hi", [23, 6, 2018], 1, 55, 0, "pm", "Ann: hi"],
  ["01/30/2019, 08:49 p. m. - Ann: hi", [1, 30, 2019], 8, 49, 0, "pm", "Ann: hi"],
  ["01/30/2019, 08:49 p.\u00A0m. - Ann: hi", [1, 30, 2019], 8, 49, 0, "pm", "Ann: hi"],
  ["3/6/18, 1:55\u202FPM - Ann: hi", [3, 6, 18], 1, 55, 0, "pm", "Ann: hi"],
  ["03/06/2023, 6:12 am - Ann: hi", [3, 6, 2023], 6, 12, 0, "am", "Ann: hi"],
  ["03-06-2018, 01.55 PM - Ann: hi", [3, 6, 2018], 1, 55, 0, "pm", "Ann: hi"],
  ["13.06.18 21.25.15: Ann: hi", [13, 6, 18], 21, 25, 15, null, "Ann: hi"],
  ["13.6.2018 klo 21.25.15 - Ann: hi", [13, 6, 2018], 21, 25, 15, null, "Ann: hi"],
  ["13. 6. 2018. 21:25:15 - Ann: hi", [13, 6, 2018], 21, 25, 15, null, "Ann: hi"],
  ["12/07/2017 à 22:35 - Ann: hi", [12, 7, 2017], 22, 35, 0, null, "Ann: hi"],
  ["12.07.2017, 22:35:22: Ann: hi", [12, 7, 2017], 22, 35, 22, null, "Ann: hi"],
  ["2019/01/01, 11:25 - Ann: hi", [2019, 1, 1], 11, 25, 0, null, "Ann: hi"],
  ["[2018/06/13, 21:25:15] Ann: hi", [2018, 6, 13], 21, 25, 15, null, "Ann: hi"],
  ["[06/2018/13, 21:25:15] Ann: hi", [6, 2018, 13], 21, 25, 15, null, "Ann: hi"],
  ["[20.06.19, 15:58:47] Ann: hi", [20, 6, 19], 15, 58, 47, null, "Ann: hi"],
  [
    "\u200E[8/15/23, 9:12:48 AM] Ann: \u200Eimage omitted",
    [8, 15, 23],
    9,
    12,
    48,
    "am",
    "Ann: \u200Eimage omitted",
  ],
  ["[3/6/18 1:55:00 p. m.] Ann: hi", [3, 6, 18], 1, 55, 0, "pm", "Ann: hi"],
  ["[01/01/19 11:25] Ann: hi", [1, 1, 19], 11, 25, 0, null, "Ann: hi"],
  ["2019-01-01 12:00 - Ann: hi", [2019, 1, 1], 12, 0, 0, null, "Ann: hi"],
  ["[1.1.2019, 12.00.00] Ann: hi", [1, 1, 2019], 12, 0, 0, null, "Ann: hi"],
  ["[2019/1/1 下午3:25:00] Ann: hi", [2019, 1, 1], 3, 25, 0, "pm", "Ann: hi"],
  ["2019. 1. 1. 오후 3:25 - Ann: hi", [2019, 1, 1], 3, 25, 0, "pm", "Ann: hi"],
  ["31/12/2020, 11:59 م - Ann: hi", [31, 12, 2020], 11, 59, 0, "pm", "Ann: hi"],
  [
    "\uFEFF12/31/20, 11:59 PM - Messages and calls are end-to-end encrypted.",
    [12, 31, 20],
    11,
    59,
    0,
    "pm",
    "Messages and calls are end-to-end encrypted.",
  ],
  ["12/31/20, 11:59 PM - ", [12, 31, 20], 11, 59, 0, "pm", ""],
];

const REJECTED = [
  "1/23/23, 3:22_AM - User 1: noise from a LangChain sample",
  "10:35 PM, 07 20 - Ann: time first, no year",
  "hello 12/31/20, 11:59 PM - Ann: not at line start",
  "[12/31/20, 11:59 PM - Ann: bracket not closed",
  "12/31/20, 11:59 PM] Ann: bracket not opened",
  "12/31/20 11:59 Ann: no terminator",
  "123/1/20, 11:59 - Ann: three-digit number",
  "2020/1/2020, 11:59 - Ann: two years",
  "12/31-20, 11:59 - Ann: mixed separators",
  "1.2.3 is the version and 4:5 the ratio",
  "",
];

describe("header grammar", () => {
  for (const [line, parts, hour, minute, second, meridiem, body] of ACCEPTED) {
    test(`accepts ${JSON.stringify(line)}`, () => {
      const h = parseHeader(line);
      assert.ok(h);
      assert.deepEqual(
        [h.parts, h.hour, h.minute, h.second, h.meridiem, h.body],
        [parts, hour, minute, second, meridiem, body],
      );
    });
  }
  for (const line of REJECTED) {
    test(`rejects ${JSON.stringify(line)}`, () => assert.equal(parseHeader(line), null));
  }
  test("year position and width give the layout", () => {
    assert.equal(parseHeader("2019/01/02, 11:25 - A: b")?.yearIndex, 0);
    assert.equal(parseHeader("01/02/19, 11:25 - A: b")?.yearIndex, 2);
    assert.equal(parseHeader("01/02/19, 11:25 - A: b")?.yearDigits, 2);
    assert.notEqual(
      parseHeader("6/30/23, 16:13 - A: b")?.layout,
      parseHeader("30/6/2023, 16:15 - A: b")?.layout,
    );
  });
});
