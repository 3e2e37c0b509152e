/**
 * The fidelity report `aiclone train` prints from the trainer's `metrics.json`: the runtime's report under
 * `fidelity` (runtime/fidelity/fidelityReport.ts, docs/fidelity.md) and the trainer's `eval` (perplexity
 * measured with Hugging Face). Runs from before the runtime report have `eval` alone and print as before.
 * metrics.json is read from disk, so every field is checked before it is printed.
 */
import type { FidelityMode, FidelityReport, FidelitySide, FidelitySkipped } from "aiclone-runtime/fidelity";

interface Perplexity {
  perplexity: number;
  mean_nll: number;
  tokens: number;
}

interface StyleProfile {
  count: number;
  median_length_chars?: number;
  emoji_per_100_chars?: number;
  share_with_emoji?: number;
  lowercase_start_share?: number | null;
}

export interface TrainerMetrics {
  template?: string;
  eval?: {
    perplexity?: { base?: Perplexity | number | null; adapted?: Perplexity | number | null } | null;
    style?: { owner?: StyleProfile; base?: StyleProfile; adapted?: StyleProfile } | null;
    samples?: { prompt: string; owner: string; base: string; adapted: string }[];
  } | null;
  /** The runtime's report, or why there is none; absent in runs from before it. */
  fidelity?: FidelityReport | FidelitySkipped | null;
}

/** What each skip reason means, said to the person who trained the clone. */
const SKIP_SENTENCES: Record<string, string> = {
  "no-held-out":
    "nothing could be held out of the dataset to test the clone on, so every conversation went to training",
  "too-few-sessions":
    "the dataset has too few conversations to set some aside for testing without starving the training",
  "no-training-split":
    "the training split lacks the owner's replies or the contacts' messages the authorship check learns from",
};

const finite = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;
const num = (value: unknown, digits = 2) => finite(value)?.toFixed(digits) ?? "–";
const pct = (value: unknown) => {
  const v = finite(value);
  return v === undefined ? "–" : `${(100 * v).toFixed(0)} %`;
};
const perplexityOf = (value: unknown): number | undefined =>
  finite(value) ?? finite((value as Perplexity | null | undefined)?.perplexity);

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  "),
    )
    .join("\n");
}

/** "12.50 → 9.75, 22 % lower: better"; a rise is said to be worse. */
function perplexityChange(base: number, adapted: number): string {
  const line = `${num(base)} → ${num(adapted)}`;
  if (!(base > 0)) return line;
  const change = (adapted - base) / base;
  if (Math.abs(change) < 0.005) return `${line}, unchanged`;
  return change < 0
    ? `${line}, ${pct(-change)} lower: better`
    : `${line}, ${pct(change)} higher: worse, the adapter made the owner's replies less likely`;
}

/** A reply's text for a terminal: multi-line replies keep their breaks, indented under their label. */
const indented = (text: string, indent: string) =>
  text === "" ? "(empty)" : text.replace(/\n/g, `\n${indent}`);

const MODE_TITLE: Record<FidelityMode, string> = {
  single: "the contact's last message alone",
  context: "with the preceding turns",
};

function modeTable(mode: FidelityMode, report: FidelityReport["modes"][FidelityMode] | undefined): string {
  const prompts = finite(report?.prompts) ?? 0;
  const title = `${mode}: ${MODE_TITLE[mode]}`;
  if (!report || prompts === 0) return `${title}: no prompts in this mode`;
  const sides = [report.owner, report.base, report.clone] as (FidelitySide | undefined)[];
  const row = (label: string, cell: (side: FidelitySide) => string) => [
    label,
    ...sides.map((s) => (s ? cell(s) : "–")),
  ];
  return table([
    [`${title} (${prompts} prompts)`, "owner", "base", "clone"],
    row("authorship share", (s) => pct(s.authorship)),
    row("style distance (0 = the owner's)", (s) => num(s.styleDistance)),
    row("distinct replies", (s) => pct(s.distinct)),
    row("hit token limit", (s) => pct(s.hitLimit)),
    row("median length (chars)", (s) => num(s.style?.medianLength, 0)),
    row("lowercase starts", (s) => pct(s.style?.lowercaseStartShare)),
    row("ends with !", (s) => pct(s.style?.endings?.exclamation)),
    row("ends with ?", (s) => pct(s.style?.endings?.question)),
    row("ends with .", (s) => pct(s.style?.endings?.period)),
  ]);
}

function formatReport(report: FidelityReport, metrics: TrainerMetrics): string[] {
  const lines: string[] = [];
  const headline = report.soundsLikeYou;
  const score = finite(headline?.score);
  const baseScore = finite(headline?.base?.score);
  const verdict =
    score === undefined || baseScore === undefined
      ? ""
      : score > baseScore
        ? ` (the base model alone: ${pct(baseScore)})`
        : ` (the base model alone: ${pct(baseScore)}, the same or better: the adapter does not make it sound more like you)`;
  lines.push(
    [
      `sounds like you: ${pct(score)}${verdict}`,
      `  authorship ${pct(headline?.parts?.authorship)}, style ${pct(headline?.parts?.style)}, variety ${pct(headline?.parts?.variety)}` +
        "; score = 0.6·authorship + 0.25·style + 0.15·variety (docs/fidelity.md)",
    ].join("\n"),
  );

  const held = report.heldOut;
  const s = report.sampling;
  const about = [
    "measured through the runtime: node-llama-cpp with the clone's adapter, the runtime's prompt path",
    `held out: ${finite(held?.replies) ?? "–"} owner replies from ${finite(held?.sessions) ?? "–"} ${
      held?.source === "turns" ? "sessions (split by turns)" : "sessions"
    }`,
    `sampling: temperature ${num(s?.temperature)}, top-p ${num(s?.topP)}, repeat penalty ${num(s?.repeatPenalty)}, ` +
      `at most ${finite(s?.maxTokens) ?? "–"} tokens, seed ${finite(s?.seed) ?? "–"}`,
  ];
  const evalPerplexity = metrics.eval?.perplexity;
  const base = finite(report.perplexity?.base) ?? perplexityOf(evalPerplexity?.base);
  const adapted = finite(report.perplexity?.adapted) ?? perplexityOf(evalPerplexity?.adapted);
  if (base !== undefined && adapted !== undefined) {
    const tokens = finite((evalPerplexity?.adapted as Perplexity | null | undefined)?.tokens);
    about.push(
      `perplexity of the owner's held-out replies (trainer): ${perplexityChange(base, adapted)}` +
        (tokens === undefined ? "" : ` (${tokens} tokens)`),
    );
  }
  lines.push(about.join("\n"));

  for (const mode of ["single", "context"] as const) lines.push(modeTable(mode, report.modes?.[mode]));

  const samples = (Array.isArray(report.samples) ? report.samples : [])
    .filter((sample) => typeof sample === "object" && sample !== null)
    .slice(0, 3);
  if (samples.length > 0)
    lines.push(
      [
        "side by side:",
        ...samples.map((sample) =>
          [
            `[${sample.mode}] contact: ${indented(String(sample.prompt ?? ""), "           ")}`,
            `  owner: ${indented(String(sample.owner ?? ""), "         ")}`,
            `  base:  ${indented(String(sample.base ?? ""), "         ")}`,
            `  clone: ${indented(String(sample.clone ?? ""), "         ")}`,
          ].join("\n"),
        ),
      ].join("\n"),
    );
  return lines;
}

/** The trainer's own report (before the runtime measured fidelity, and beside a skipped one). */
function formatEval(ev: NonNullable<TrainerMetrics["eval"]>, withStyle: boolean): string[] {
  const lines: string[] = [];
  const base = ev.perplexity?.base;
  const adapted = ev.perplexity?.adapted;
  const basePpl = perplexityOf(base);
  const adaptedPpl = perplexityOf(adapted);
  if (basePpl !== undefined && adaptedPpl !== undefined) {
    if (typeof base === "object" && typeof adapted === "object" && base && adapted)
      lines.push(
        table([
          ["perplexity of the owner's held-out replies", "base", "adapted"],
          ["perplexity", num(base.perplexity), num(adapted.perplexity)],
          ["mean NLL per token", num(base.mean_nll, 4), num(adapted.mean_nll, 4)],
          ["tokens", String(base.tokens), String(adapted.tokens)],
        ]),
      );
    lines.push(`perplexity: ${perplexityChange(basePpl, adaptedPpl)}`);
  }
  const style = ev.style;
  if (withStyle && style?.owner && style.base && style.adapted) {
    const cols = [style.owner, style.base, style.adapted];
    lines.push(
      table([
        ["style of replies (trainer, greedy)", "owner", "base", "adapted"],
        ["replies", ...cols.map((s) => String(s.count))],
        ["median length (chars)", ...cols.map((s) => num(s.median_length_chars, 1))],
        ["emoji per 100 chars", ...cols.map((s) => num(s.emoji_per_100_chars))],
        ["replies with emoji", ...cols.map((s) => pct(s.share_with_emoji))],
        ["lowercase starts", ...cols.map((s) => pct(s.lowercase_start_share))],
      ]),
    );
  }
  return lines;
}

function isSkipped(value: unknown): value is FidelitySkipped {
  return (
    typeof value === "object" && value !== null && typeof (value as FidelitySkipped).skipped === "string"
  );
}

function isReport(value: unknown): value is FidelityReport {
  const report = value as FidelityReport | null;
  return (
    typeof report === "object" && report !== null && report.version === 1 && typeof report.modes === "object"
  );
}

export function formatFidelity(metrics: TrainerMetrics): string {
  if (typeof metrics !== "object" || metrics === null) return "fidelity: metrics.json is not an object";
  const fidelity: unknown = metrics.fidelity;
  const ev = metrics.eval;
  const lines: string[] = [];
  if (isReport(fidelity)) lines.push(...formatReport(fidelity, metrics));
  else {
    if (isSkipped(fidelity)) {
      const why = SKIP_SENTENCES[fidelity.skipped];
      const detail = typeof fidelity.detail === "string" ? fidelity.detail.trim() : "";
      lines.push(
        `fidelity not measured: ${why ?? `reason "${fidelity.skipped}"`}.${detail ? `\n  ${detail}` : ""}`,
      );
    } else if (fidelity !== undefined && fidelity !== null)
      lines.push("fidelity: metrics.json holds a report this version cannot read (a newer format?)");
    if (ev) lines.push(...formatEval(ev, true));
    else if (!isSkipped(fidelity))
      lines.push("fidelity: no held-out samples (val.jsonl missing or empty), nothing to compare");
  }
  if (metrics.template)
    lines.push(`prompt template: ${metrics.template} (the runtime must prompt the same way)`);
  return lines.join("\n\n");
}

/** The trainer's held-out perplexity (metrics.json `eval.perplexity`) as two numbers, when it has both. */
export function trainerPerplexity(metrics: TrainerMetrics): { base: number; adapted: number } | null {
  const base = perplexityOf(metrics.eval?.perplexity?.base);
  const adapted = perplexityOf(metrics.eval?.perplexity?.adapted);
  return base !== undefined && adapted !== undefined ? { base, adapted } : null;
}
