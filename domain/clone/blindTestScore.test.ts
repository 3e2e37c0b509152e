import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { blindTestScore, wilsonInterval } from "./blindTestScore.js";

const close = (actual: number | null, expected: number, digits = 4) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 10 ** -digits, `${actual} ≉ ${expected}`);

describe("blind test score", () => {
  it("has no share and no interval without answers", () =>
    assert.deepEqual(blindTestScore({ realPicked: 0, clonePicked: 0, cantTell: 0 }), {
      n: 0,
      pickedReal: null,
      low: null,
      high: null,
    }));
  it("5 of 10: 50 % with the Wilson interval 23.66 %–76.34 %", () => {
    const s = blindTestScore({ realPicked: 5, clonePicked: 5, cantTell: 0 });
    assert.equal(s.n, 10);
    close(s.pickedReal, 0.5);
    close(s.low, 0.2366);
    close(s.high, 0.7634);
  });
  it("10 of 10: the interval 72.25 %–100 %", () => {
    const s = blindTestScore({ realPicked: 10, clonePicked: 0, cantTell: 0 });
    close(s.pickedReal, 1);
    close(s.low, 0.7225);
    close(s.high, 1);
  });
  it("0 of 20: the interval 0 %–16.11 %", () => {
    const s = blindTestScore({ realPicked: 0, clonePicked: 20, cantTell: 0 });
    close(s.low, 0);
    close(s.high, 0.1611);
  });
  it("can't tell counts half: 2 can't tell + 1 real of 4 is 50 %", () => {
    const s = blindTestScore({ realPicked: 1, clonePicked: 1, cantTell: 2 });
    assert.equal(s.n, 4);
    close(s.pickedReal, 0.5);
  });
  it("81 of 100: 72.22 %–87.49 %", () => {
    const { low, high } = wilsonInterval(0.81, 100);
    close(low, 0.7222);
    close(high, 0.8749);
  });
  it("refuses n = 0", () => assert.throws(() => wilsonInterval(0.5, 0), RangeError));
});
