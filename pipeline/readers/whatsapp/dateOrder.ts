import type { ParsedHeader } from "./headerGrammar.js";

/**
 * Day/month order. WhatsApp writes dates in the phone's locale and never says which number is the day, so it
 * has to be inferred. A file is written with one locale, but we decide per date layout (see
 * ParsedHeader.layout) because real files mix layouts after a locale change.
 *
 * Method, streaming: the reader feeds the headers of a bounded prefix (the first 10,000 headers by default)
 * to `observe`, then calls `resolve`. For each layout, with p and q the two non-year numbers in written order:
 *  1. a p > 12 proves p is the day, a q > 12 proves q is: if only one kind occurs, that decides; if both do
 *     (a broken file), the more frequent one wins and the other lines will fail validation and be skipped;
 *  2. otherwise the order under which consecutive dates go backwards less often (chats are chronological);
 *  3. otherwise the number that changes more often between consecutive messages is the day;
 *  4. otherwise the locale default: day first when the year is last (most of the world; the caller may pass
 *     "month-first" when the user says the phone was set to a US locale), month first when the year leads
 *     (`2019/01/02`, CJK and ISO) or sits in the middle (`06/2018/13`, seen in WCP tests).
 * A layout first seen after the prefix is decided from its first line by rule 1, else rule 4, and then fixed.
 * Lines that later contradict the decision (a "month" of 13) fail validation and are reported as skipped,
 * never silently re-read with the other order.
 */

export interface DayMonthOrder {
  /** Index in ParsedHeader.parts of the day, month and year. */
  day: 0 | 1 | 2;
  month: 0 | 1 | 2;
  year: 0 | 1 | 2;
  /** Why, for skip reasons: "day first (a first number > 12 in 3 dates)". */
  basis: string;
}

interface LayoutEvidence {
  yearIndex: 0 | 1 | 2;
  firstOver12: number;
  secondOver12: number;
  years: number[];
  firsts: number[];
  seconds: number[];
}

/** The two non-year positions, in written order. */
function pairOf(yearIndex: 0 | 1 | 2): [0 | 1 | 2, 0 | 1 | 2] {
  return yearIndex === 0 ? [1, 2] : yearIndex === 1 ? [0, 2] : [0, 1];
}

function orderOf(yearIndex: 0 | 1 | 2, firstIsDay: boolean, basis: string): DayMonthOrder {
  const [p, q] = pairOf(yearIndex);
  return {
    day: firstIsDay ? p : q,
    month: firstIsDay ? q : p,
    year: yearIndex,
    basis: `${firstIsDay ? "day" : "month"} first (${basis})`,
  };
}

/** What to assume for dates with the year last when nothing in the file tells. */
export type AmbiguousOrder = "day-first" | "month-first";

function localeDefault(yearIndex: 0 | 1 | 2, fallback: AmbiguousOrder, basis: string): DayMonthOrder {
  return orderOf(yearIndex, yearIndex === 2 && fallback === "day-first", basis);
}

function countBackwardSteps(e: LayoutEvidence, firstIsDay: boolean): number {
  let steps = 0;
  let previous = -1;
  for (let i = 0; i < e.years.length; i++) {
    const p = e.firsts[i] as number;
    const q = e.seconds[i] as number;
    const value = (e.years[i] as number) * 10_000 + (firstIsDay ? q * 100 + p : p * 100 + q);
    if (value < previous) steps++;
    previous = value;
  }
  return steps;
}

function countChanges(values: number[]): number {
  let changes = 0;
  for (let i = 1; i < values.length; i++) if (values[i] !== values[i - 1]) changes++;
  return changes;
}

function decide(e: LayoutEvidence, fallback: AmbiguousOrder): DayMonthOrder {
  if (e.firstOver12 !== e.secondOver12) {
    const firstIsDay = e.firstOver12 > e.secondOver12;
    const count = firstIsDay ? e.firstOver12 : e.secondOver12;
    return orderOf(
      e.yearIndex,
      firstIsDay,
      `a ${firstIsDay ? "first" : "second"} number > 12 in ${count} dates`,
    );
  }
  const backwardDayFirst = countBackwardSteps(e, true);
  const backwardMonthFirst = countBackwardSteps(e, false);
  if (backwardDayFirst !== backwardMonthFirst) {
    return orderOf(e.yearIndex, backwardDayFirst < backwardMonthFirst, "dates run forward in that order");
  }
  const firstChanges = countChanges(e.firsts);
  const secondChanges = countChanges(e.seconds);
  if (firstChanges !== secondChanges) {
    return orderOf(e.yearIndex, firstChanges > secondChanges, "that number changes more often");
  }
  return localeDefault(e.yearIndex, fallback, "ambiguous dates; locale default");
}

/** Collects evidence from the sampled prefix; `resolve` turns it into fixed per-layout orders. */
export class DateOrderDetector {
  private readonly evidence = new Map<number, LayoutEvidence>();

  constructor(
    private readonly maxSamples = 10_000,
    private readonly fallback: AmbiguousOrder = "day-first",
  ) {}

  observe(h: ParsedHeader): void {
    let e = this.evidence.get(h.layout);
    if (e === undefined) {
      e = { yearIndex: h.yearIndex, firstOver12: 0, secondOver12: 0, years: [], firsts: [], seconds: [] };
      this.evidence.set(h.layout, e);
    }
    const [p, q] = pairOf(h.yearIndex);
    const first = h.parts[p];
    const second = h.parts[q];
    if (first > 12) e.firstOver12++;
    if (second > 12) e.secondOver12++;
    if (e.years.length < this.maxSamples) {
      e.years.push(h.parts[h.yearIndex]);
      e.firsts.push(first);
      e.seconds.push(second);
    }
  }

  resolve(): DateOrders {
    const orders = new Map<number, DayMonthOrder>();
    for (const [layout, e] of this.evidence) orders.set(layout, decide(e, this.fallback));
    return new DateOrders(orders, this.fallback);
  }
}

/** Fixed orders for the rest of the file. */
export class DateOrders {
  constructor(
    private readonly orders: Map<number, DayMonthOrder>,
    private readonly fallback: AmbiguousOrder = "day-first",
  ) {}

  orderFor(h: ParsedHeader): DayMonthOrder {
    const known = this.orders.get(h.layout);
    if (known !== undefined) return known;
    const [p, q] = pairOf(h.yearIndex);
    const first = h.parts[p];
    const second = h.parts[q];
    const late = "layout first seen after the sampled prefix";
    const order =
      first > 12 && second <= 12
        ? orderOf(h.yearIndex, true, `${late}; a first number > 12`)
        : second > 12 && first <= 12
          ? orderOf(h.yearIndex, false, `${late}; a second number > 12`)
          : localeDefault(h.yearIndex, this.fallback, `${late}; locale default`);
    this.orders.set(h.layout, order);
    return order;
  }
}
