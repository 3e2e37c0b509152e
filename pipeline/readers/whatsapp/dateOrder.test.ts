import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DateOrderDetector } from "./dateOrder.js";
import { parseHeader } from "./headerGrammar.js";

function orderOf(dates: string[], fallback: "day-first" | "month-first" = "day-first") {
  const detector = new DateOrderDetector(10_000, fallback);
  const headers = dates.map((d) => parseHeader(`${d}, 10:00 - A: x`)!);
  for (const h of headers) detector.observe(h);
  const order = detector.resolve().orderFor(headers[0]!);
  return { day: order.day, month: order.month, basis: order.basis };
}

describe("day/month order", () => {
  test("a first number > 12 means day first", () => {
    assert.deepEqual(orderOf(["01/02/20", "13/02/20"]), {
      day: 0,
      month: 1,
      basis: orderOf(["13/02/20"]).basis,
    });
  });
  test("a second number > 12 means month first", () => {
    assert.equal(orderOf(["01/02/20", "02/13/20"]).day, 1);
  });
  test("conflicting evidence: the majority wins", () => {
    assert.equal(orderOf(["13/01/20", "14/01/20", "01/15/20"]).day, 0);
  });
  test("ambiguous: dates that run forward decide", () => {
    // Day first: 5 Mar, 6 Mar, 7 Mar, 1 Apr. Month first would go May, Jun, Jul, Jan: backwards.
    const r = orderOf(["05/03/20", "06/03/20", "07/03/20", "01/04/20"]);
    assert.equal(r.day, 0);
    assert.match(r.basis, /run forward/);
  });
  test("ambiguous and monotonic both ways: the number that changes more often is the day", () => {
    const r = orderOf(["01/01/20", "01/02/20", "01/03/20"]);
    assert.equal(r.day, 1);
    assert.match(r.basis, /changes more often/);
  });
  test("undecidable: locale default, day first unless told otherwise", () => {
    assert.equal(orderOf(["12/09/20", "12/09/20"]).day, 0);
    assert.equal(orderOf(["12/09/20", "12/09/20"], "month-first").day, 1);
    assert.match(orderOf(["12/09/20"]).basis, /locale default/);
  });
  test("year first defaults to y/m/d", () => {
    const r = orderOf(["2020/01/02"]);
    assert.deepEqual([r.month, r.day], [1, 2]);
  });
  test("layouts are decided separately (a file mixing 6/30/23 and 30/6/2023)", () => {
    const detector = new DateOrderDetector();
    const a = parseHeader("6/30/23, 16:13 - A: x")!;
    const b = parseHeader("30/6/2023, 16:15 - A: x")!;
    detector.observe(a);
    detector.observe(b);
    const orders = detector.resolve();
    assert.equal(orders.orderFor(a).day, 1);
    assert.equal(orders.orderFor(b).day, 0);
  });
  test("a layout first seen after the sample is decided from its own line", () => {
    const orders = new DateOrderDetector().resolve();
    assert.equal(orders.orderFor(parseHeader("1/20/23, 10:00 - A: x")!).day, 1);
    assert.match(orders.orderFor(parseHeader("1.2.23, 10:00 - A: x")!).basis, /after the sampled prefix/);
  });
});
