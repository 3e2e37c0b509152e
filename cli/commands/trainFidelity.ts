/** The fidelity report `aiclone train` prints from the trainer's `metrics.json`. */

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
    perplexity?: { base?: Perplexity | null; adapted?: Perplexity | null } | null;
    style?: { owner?: StyleProfile; base?: StyleProfile; adapted?: StyleProfile } | null;
    samples?: { prompt: string; owner: string; base: string; adapted: string }[];
  } | null;
}

const num = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined || Number.isNaN(value) ? "–" : value.toFixed(digits);
const pct = (value: number | null | undefined) =>
  value === null || value === undefined ? "–" : `${(100 * value).toFixed(0)}%`;

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  "),
    )
    .join("\n");
}

export function formatFidelity(metrics: TrainerMetrics): string {
  const ev = metrics.eval;
  if (!ev) return "fidelity: no held-out samples (val.jsonl missing or empty), nothing to compare";
  const lines: string[] = [];
  const base = ev.perplexity?.base;
  const adapted = ev.perplexity?.adapted;
  if (base && adapted) {
    lines.push(
      table([
        ["perplexity of the owner's held-out replies", "base", "adapted"],
        ["perplexity", num(base.perplexity), num(adapted.perplexity)],
        ["mean NLL per token", num(base.mean_nll, 4), num(adapted.mean_nll, 4)],
        ["tokens", String(base.tokens), String(adapted.tokens)],
      ]),
    );
  }
  const style = ev.style;
  if (style?.owner && style.base && style.adapted) {
    const cols = [style.owner, style.base, style.adapted];
    lines.push(
      table([
        ["style of replies", "owner", "base", "adapted"],
        ["replies", ...cols.map((s) => String(s.count))],
        ["median length (chars)", ...cols.map((s) => num(s.median_length_chars, 1))],
        ["emoji per 100 chars", ...cols.map((s) => num(s.emoji_per_100_chars))],
        ["replies with emoji", ...cols.map((s) => pct(s.share_with_emoji))],
        ["lowercase starts", ...cols.map((s) => pct(s.lowercase_start_share))],
      ]),
    );
  }
  if (metrics.template)
    lines.push(`prompt template: ${metrics.template} (the runtime must prompt the same way)`);
  return lines.join("\n\n");
}
