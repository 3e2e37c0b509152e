import { type MessageKey, useI18n } from "../i18n";
import type { Clone } from "../live";

/**
 * The fidelity report of the latest completed run. `metrics.fidelity` is the runtime's report (replies
 * generated through node-llama-cpp with the clone's adapter; runtime/fidelity/, docs/fidelity.md) or why it
 * was skipped; `metrics.eval` is the trainer's (perplexity). Runs from before the runtime report have
 * `eval` alone and show as before. The metrics are JSON from the API, so every field is checked here.
 */

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const text = (v: unknown): string => (typeof v === "string" ? v : "");
/** The trainer reports perplexity as a number or as {perplexity, mean_nll, tokens}. */
const perplexityOf = (v: unknown) => num(v) ?? num(obj(v)?.perplexity);
/** Keeps a reply's line breaks (an owner's multi-line reply) and wraps long words. */
const reply = { whiteSpace: "pre-wrap", overflowWrap: "anywhere" } as const;

/** The trainer's style rows: label, field, digits; a share (0–1) is shown as a percentage. */
const oldStyleRows: [MessageKey, string, number | "percent"][] = [
  ["fidelity.count", "count", 0],
  ["fidelity.medianLength", "median_length_chars", 1],
  ["fidelity.emojiRate", "emoji_per_100_chars", 2],
  ["fidelity.emojiShare", "share_with_emoji", "percent"],
  ["fidelity.lowercaseShare", "lowercase_start_share", "percent"],
];

const modes = ["single", "context"] as const;
const modeLabel = { single: "fidelity.mode.single", context: "fidelity.mode.context" } as const;
const sides = ["owner", "base", "clone"] as const;
const sideLabel = { owner: "fidelity.owner", base: "fidelity.base", clone: "fidelity.clone" } as const;

type Format = "percent" | "distance" | "count";
/** Each row of a mode's table: its label, where the value is in a side, and how it is shown. */
const modeRows: [MessageKey, (side: Json) => unknown, Format][] = [
  ["fidelity.row.authorship", (s) => s.authorship, "percent"],
  ["fidelity.row.styleDistance", (s) => s.styleDistance, "distance"],
  ["fidelity.row.distinct", (s) => s.distinct, "percent"],
  ["fidelity.row.hitLimit", (s) => s.hitLimit, "percent"],
  ["fidelity.medianLength", (s) => obj(s.style)?.medianLength, "count"],
  ["fidelity.lowercaseShare", (s) => obj(s.style)?.lowercaseStartShare, "percent"],
  ["fidelity.row.endsExclamation", (s) => obj(obj(s.style)?.endings)?.exclamation, "percent"],
  ["fidelity.row.endsQuestion", (s) => obj(obj(s.style)?.endings)?.question, "percent"],
  ["fidelity.row.endsPeriod", (s) => obj(obj(s.style)?.endings)?.period, "percent"],
];

function usePercent() {
  const { t, number } = useI18n();
  return (v: unknown) => {
    const value = num(v);
    return value == null ? t("common.none") : `${number(value * 100, 0)} %`;
  };
}

function Headline({ report }: { report: Json }) {
  const { t } = useI18n();
  const percent = usePercent();
  const headline = obj(report.soundsLikeYou);
  const parts = obj(headline?.parts);
  const score = num(headline?.score);
  const baseScore = num(obj(headline?.base)?.score);
  const held = obj(report.heldOut);
  return (
    <>
      <dl className="stats" data-testid="sounds-like-you">
        <div>
          <dt>{t("fidelity.headline")}</dt>
          <dd>{percent(score)}</dd>
        </div>
        {(
          [
            ["fidelity.part.authorship", parts?.authorship],
            ["fidelity.part.style", parts?.style],
            ["fidelity.part.variety", parts?.variety],
          ] as const
        ).map(([key, value]) => (
          <div key={key}>
            <dt>{t(key)}</dt>
            <dd>{percent(value)}</dd>
          </div>
        ))}
      </dl>
      {baseScore != null && <p>{t("fidelity.headlineBase", { value: percent(baseScore) })}</p>}
      {score != null && baseScore != null && score <= baseScore && (
        <p className="warning bad" data-testid="not-better">
          {t("fidelity.notBetter")}
        </p>
      )}
      <p className="muted small">{t("fidelity.scoreHow")}</p>
      <p className="muted small">
        {t("fidelity.measured", {
          replies: num(held?.replies) ?? t("common.none"),
          sessions: num(held?.sessions) ?? t("common.none"),
        })}
      </p>
    </>
  );
}

function Sampling({ sampling }: { sampling: Json | undefined }) {
  const { t, number } = useI18n();
  if (!sampling) return null;
  const rows = [
    ["fidelity.temperature", sampling.temperature, 2],
    ["fidelity.topP", sampling.topP, 2],
    ["fidelity.repeatPenalty", sampling.repeatPenalty, 2],
    ["fidelity.maxTokens", sampling.maxTokens, 0],
    ["fidelity.seed", sampling.seed, 0],
  ] as const;
  return (
    <details className="block">
      <summary>{t("fidelity.sampling")}</summary>
      <dl className="facts" data-testid="sampling">
        {rows.map(([key, value, digits]) => (
          <div key={key} style={{ display: "contents" }}>
            <dt>{t(key)}</dt>
            <dd>{num(value) == null ? t("common.none") : number(num(value)!, digits)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function ModeTable({ mode, report }: { mode: (typeof modes)[number]; report: Json | undefined }) {
  const { t, number } = useI18n();
  const percent = usePercent();
  const prompts = num(report?.prompts) ?? 0;
  const show = (value: unknown, format: Format) => {
    if (format === "percent") return percent(value);
    const v = num(value);
    return v == null ? t("common.none") : number(v, format === "distance" ? 2 : 0);
  };
  return (
    <>
      <h3>{t(modeLabel[mode])}</h3>
      {!report || prompts === 0 ? (
        <p className="muted">{t("fidelity.modeEmpty")}</p>
      ) : (
        <div className="table-wrap">
          <table data-testid={`fidelity-${mode}`}>
            <caption className="muted small">{t("fidelity.prompts", { count: prompts })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("fidelity.metric")}</th>
                {sides.map((s) => (
                  <th scope="col" key={s} className="num">
                    {t(sideLabel[s])}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {modeRows.map(([key, pick, format]) => (
                <tr key={key}>
                  <th scope="row">{t(key)}</th>
                  {sides.map((s) => {
                    const side = obj(report[s]);
                    return (
                      <td key={s} className="num">
                        {side ? show(pick(side), format) : t("common.none")}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Perplexity({ base, adapted }: { base: number | undefined; adapted: number | undefined }) {
  const { t, number } = useI18n();
  const scale = Math.max(base ?? 0, adapted ?? 0, 1);
  const change = base != null && adapted != null && base > 0 ? (adapted - base) / base : undefined;
  return (
    <>
      <h3>{t("fidelity.perplexity")}</h3>
      <div className="bars" data-testid="perplexity">
        {(
          [
            ["fidelity.base", base],
            ["fidelity.adapted", adapted],
          ] as const
        ).map(([key, value]) => (
          <div key={key} className="bar-row">
            <span>{t(key)}</span>
            <span className="bar" style={{ width: `${((value ?? 0) / scale) * 100}%` }} />
            <strong>{value == null ? t("common.none") : number(value, 2)}</strong>
          </div>
        ))}
      </div>
      {change != null &&
        (change <= 0 ? (
          <p className="good">{t("fidelity.improvement", { value: `${number(-change * 100, 1)} %` })}</p>
        ) : (
          <p className="bad" data-testid="perplexity-worse">
            {t("fidelity.worse", { value: `${number(change * 100, 1)} %` })}
          </p>
        ))}
    </>
  );
}

function Samples({
  samples,
  columns,
}: {
  samples: Json[];
  columns: readonly ("owner" | "base" | "clone" | "adapted")[];
}) {
  const { t } = useI18n();
  const label = { ...sideLabel, adapted: "fidelity.adapted" } as const;
  return (
    <>
      <h3>{t("fidelity.samples")}</h3>
      {samples.length === 0 ? (
        <p className="muted">{t("fidelity.samplesEmpty")}</p>
      ) : (
        <div className="samples" data-testid="fidelity-samples">
          {samples.map((sample, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: samples have no id and never reorder
            <article key={i} className="sample">
              {(sample.mode === "single" || sample.mode === "context") && (
                <p className="muted small">{t(modeLabel[sample.mode])}</p>
              )}
              <p className="prompt" style={reply}>
                <strong>{t("fidelity.prompt")}:</strong> <span data-own-words>{text(sample.prompt)}</span>
              </p>
              <div className="side-by-side">
                {columns.map((c) => (
                  <div key={c}>
                    <h4>{t(label[c])}</h4>
                    <p style={reply} data-column={c} data-own-words>
                      {text(sample[c])}
                    </p>
                  </div>
                ))}
              </div>
            </article>
          ))}
        </div>
      )}
    </>
  );
}

/** The runtime report's skip reason in the reader's language; an unknown code is named as it is. */
function SkippedReason({ skipped }: { skipped: Json }) {
  const { t, maybe, language } = useI18n();
  const code = text(skipped.skipped);
  const reason = maybe(`fidelity.skip.${code}`, t("fidelity.skip.unknown", { code }));
  const detail = text(skipped.detail).trim();
  return (
    <div className="warning" data-testid="fidelity-skipped" data-reason={code}>
      <p>{t("fidelity.skipped", { reason })}</p>
      {/* The detail is an English sentence written by the harness. */}
      {language === "en" && detail && <p className="muted small">{detail}</p>}
    </div>
  );
}

const isReport = (v: Json | undefined): v is Json => v?.version === 1 && obj(v.modes) !== undefined;
const isSkipped = (v: Json | undefined): v is Json => typeof v?.skipped === "string";

export function FidelityPanel({ clone }: { clone: Clone }) {
  const { t, number } = useI18n();
  const percent = usePercent();
  const run = [...clone.trainingRuns].reverse().find((r) => r.status === "COMPLETED");
  const metrics = obj(run?.metrics);
  const evaluation = obj(metrics?.eval);
  const fidelity = obj(metrics?.fidelity);
  const report = isReport(fidelity) ? fidelity : undefined;
  const skipped = isSkipped(fidelity) ? fidelity : undefined;
  if (!run || (!evaluation && !report && !skipped))
    return (
      <section className="card" aria-labelledby="fidelity-title">
        <h2 id="fidelity-title">{t("fidelity.title")}</h2>
        <p className="empty">{t("fidelity.empty")}</p>
      </section>
    );
  const evalPerplexity = obj(evaluation?.perplexity);
  const reportPerplexity = obj(report?.perplexity);
  const base = num(reportPerplexity?.base) ?? perplexityOf(evalPerplexity?.base);
  const adapted = num(reportPerplexity?.adapted) ?? perplexityOf(evalPerplexity?.adapted);
  const hasPerplexity = base != null || adapted != null;
  const style = obj(evaluation?.style);
  const oldSamples = Array.isArray(evaluation?.samples)
    ? evaluation.samples.map(obj).filter((s): s is Json => s !== undefined)
    : [];
  const oldColumns = ["owner", "base", "adapted"] as const;
  return (
    <section className="card" aria-labelledby="fidelity-title">
      <h2 id="fidelity-title">{t("fidelity.title")}</h2>
      <p className="muted small">
        {t("fidelity.run", { id: run.id.slice(0, 8), version: run.adapterVersion ?? "?" })}
      </p>
      {skipped && <SkippedReason skipped={skipped} />}
      {report && <Headline report={report} />}
      {/* A skipped report with no trainer perplexity says why above instead of two empty bars. */}
      {(hasPerplexity || !skipped) && <Perplexity base={base} adapted={adapted} />}
      {report ? (
        <>
          {modes.map((mode) => (
            <ModeTable key={mode} mode={mode} report={obj(obj(report.modes)?.[mode])} />
          ))}
          <Sampling sampling={obj(report.sampling)} />
          <Samples
            samples={(Array.isArray(report.samples) ? report.samples : [])
              .map(obj)
              .filter((s): s is Json => s !== undefined)}
            columns={sides}
          />
        </>
      ) : (
        evaluation && (
          <>
            <h3>{t("fidelity.style")}</h3>
            {!style ? (
              <p className="muted">{t("fidelity.styleEmpty")}</p>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t("fidelity.metric")}</th>
                      {oldColumns.map((c) => (
                        <th scope="col" key={c}>
                          {t(c === "adapted" ? "fidelity.adapted" : sideLabel[c])}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {oldStyleRows.map(([key, field, digits]) => (
                      <tr key={field}>
                        <th scope="row">{t(key)}</th>
                        {oldColumns.map((c) => {
                          const value = num(obj(style[c])?.[field]);
                          const shown =
                            value == null
                              ? t("common.none")
                              : digits === "percent"
                                ? percent(value)
                                : number(value, digits);
                          return <td key={c}>{shown}</td>;
                        })}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <Samples samples={oldSamples} columns={oldColumns} />
          </>
        )
      )}
    </section>
  );
}
