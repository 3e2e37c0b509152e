import { type MessageKey, useI18n } from "../i18n";
import type { Clone } from "../live";

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
/** The trainer reports perplexity as a number or as {perplexity, mean_nll, tokens}. */
const perplexityOf = (v: unknown) => num(v) ?? num(obj(v)?.perplexity);

const styleRows: [MessageKey, string, number][] = [
  ["fidelity.count", "count", 0],
  ["fidelity.medianLength", "median_length_chars", 1],
  ["fidelity.emojiRate", "emoji_per_100_chars", 2],
  ["fidelity.emojiShare", "share_with_emoji", 2],
  ["fidelity.lowercaseShare", "lowercase_start_share", 2],
];

export function FidelityPanel({ clone }: { clone: Clone }) {
  const { t, number } = useI18n();
  const run = [...clone.trainingRuns].reverse().find((r) => r.status === "COMPLETED");
  const evaluation = obj(obj(run?.metrics)?.eval);
  if (!run || !evaluation)
    return (
      <section className="card" aria-labelledby="fidelity-title">
        <h2 id="fidelity-title">{t("fidelity.title")}</h2>
        <p className="empty">{t("fidelity.empty")}</p>
      </section>
    );
  const perplexity = obj(evaluation.perplexity);
  const base = perplexityOf(perplexity?.base);
  const adapted = perplexityOf(perplexity?.adapted);
  const style = obj(evaluation.style);
  const samples = Array.isArray(evaluation.samples) ? evaluation.samples.map(obj).filter(Boolean) : [];
  const columns = ["owner", "base", "adapted"] as const;
  const columnLabel = {
    owner: "fidelity.owner",
    base: "fidelity.base",
    adapted: "fidelity.adapted",
  } as const;
  const scale = Math.max(base ?? 0, adapted ?? 0, 1);
  return (
    <section className="card" aria-labelledby="fidelity-title">
      <h2 id="fidelity-title">{t("fidelity.title")}</h2>
      <p className="muted small">
        {t("fidelity.run", { id: run.id.slice(0, 8), version: run.adapterVersion ?? "?" })}
      </p>
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
      {base != null && adapted != null && base > 0 && (
        <p>{t("fidelity.improvement", { value: `${number(((base - adapted) / base) * 100, 1)}%` })}</p>
      )}
      <h3>{t("fidelity.style")}</h3>
      {!style ? (
        <p className="muted">{t("fidelity.styleEmpty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("fidelity.metric")}</th>
                {columns.map((c) => (
                  <th scope="col" key={c}>
                    {t(columnLabel[c])}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {styleRows.map(([key, field, digits]) => (
                <tr key={field}>
                  <th scope="row">{t(key)}</th>
                  {columns.map((c) => {
                    const value = num(obj(style[c])?.[field]);
                    return <td key={c}>{value == null ? t("common.none") : number(value, digits)}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>{t("fidelity.samples")}</h3>
      {samples.length === 0 ? (
        <p className="muted">{t("fidelity.samplesEmpty")}</p>
      ) : (
        <div className="samples">
          {samples.map((sample, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: samples have no id and never reorder
            <article key={i} className="sample">
              <p className="prompt">
                <strong>{t("fidelity.prompt")}:</strong> {String(sample?.prompt ?? "")}
              </p>
              <div className="side-by-side">
                {columns.map((c) => (
                  <div key={c}>
                    <h4>{t(columnLabel[c])}</h4>
                    <p>{String(sample?.[c] ?? "")}</p>
                  </div>
                ))}
              </div>
            </article>
          ))}
        </div>
      )}
    </section>
  );
}
