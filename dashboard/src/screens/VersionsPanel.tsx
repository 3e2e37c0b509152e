import { type ReactNode, useState } from "react";
import { actionKey } from "../api/client";
import { ErrorBox } from "../components/common";
import { PublishCloneDocument, SelectPublishedVersionDocument } from "../gql/graphql";
import { useI18n } from "../i18n";
import type { Clone, Run } from "../live";
import { useApi } from "../session";
import { BlindTestPanel } from "./BlindTestPanel";

/**
 * The trained adapter versions side by side: where each comes from (parent, dataset, corrections, base
 * model), its fidelity figures, the bundles it was published as; publish any of them, or go back to one
 * already published (`latest` then installs it). The metrics are JSON from the API, so every field is checked.
 */

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const perplexityOf = (v: unknown) => num(v) ?? num(obj(v)?.perplexity);

/** What preference training did in a run: the objective, why it did not run, the pairs' accuracy before → after. */
function preferenceOf(run: Run) {
  const p = obj(obj(run.metrics)?.preference);
  if (!p) return undefined;
  return {
    objective: typeof p.objective === "string" ? p.objective : "off",
    ran: p.ran === true,
    reason: typeof p.reason === "string" ? p.reason : undefined,
    pairs: num(p.pairs) ?? 0,
    minPairs: num(p.minPairs),
    before: num(obj(p.before)?.accuracy),
    after: num(obj(p.after)?.accuracy),
  };
}

/** The figures the fidelity tab shows for one run: "sounds like you" and perplexity base → adapted. */
function figuresOf(run: Run) {
  const metrics = obj(run.metrics);
  const report = obj(metrics?.fidelity);
  const evalPerplexity = obj(obj(metrics?.eval)?.perplexity);
  const reportPerplexity = obj(report?.perplexity);
  const clone = obj(obj(obj(report?.modes)?.context)?.clone);
  return {
    soundsLikeYou: num(obj(report?.soundsLikeYou)?.score),
    authorship: num(clone?.authorship),
    base: num(reportPerplexity?.base) ?? perplexityOf(evalPerplexity?.base),
    adapted: num(reportPerplexity?.adapted) ?? perplexityOf(evalPerplexity?.adapted),
  };
}

export function VersionsPanel({ clone, accept }: { clone: Clone; accept(next: Clone): void }) {
  const { t, number } = useI18n();
  const api = useApi();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [blindVersion, setBlindVersion] = useState<number | null>(null);
  const runs = clone.trainingRuns.filter((r) => r.status === "COMPLETED" && r.adapterVersion != null);
  const training = clone.status === "TRAINING" || clone.status === "TRAINING_QUEUED";
  const act = async (key: string, action: () => Promise<Clone>) => {
    setBusy(key);
    setError(null);
    try {
      accept(await action());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const publish = (adapterVersion: number) =>
    act(`publish-${adapterVersion}`, async () => {
      const idempotencyKey = actionKey();
      const { publishClone } = await api.request(PublishCloneDocument, {
        cloneId: clone.id,
        adapterVersion,
        idempotencyKey,
      });
      return publishClone;
    });
  const goBack = (version: number) =>
    act(`select-${version}`, async () => {
      const { selectPublishedVersion } = await api.request(SelectPublishedVersionDocument, {
        cloneId: clone.id,
        version,
      });
      return selectPublishedVersion;
    });
  const percent = (v: number | undefined) => (v == null ? t("common.none") : `${number(v * 100, 0)} %`);
  const preferenceText = (run: Run) => {
    const p = preferenceOf(run);
    if (!p) return t("common.none");
    const what = p.ran
      ? t("versions.preferenceRan", { objective: p.objective.toUpperCase(), pairs: p.pairs })
      : p.reason === "tooFewPairs"
        ? t("versions.preferenceTooFew", { pairs: p.pairs, min: p.minPairs ?? 0 })
        : t("versions.preferenceOff");
    if (p.before == null || p.after == null) return what;
    return `${what}; ${t("versions.preferenceMoved", { before: percent(p.before), after: percent(p.after) })}`;
  };
  const fixed = (v: number | undefined) => (v == null ? t("common.none") : number(v, 1));

  if (runs.length === 0)
    return (
      <section className="card" aria-labelledby="versions-title">
        <h2 id="versions-title">{t("versions.title")}</h2>
        <p className="empty">{t("versions.empty")}</p>
      </section>
    );
  const rows: [string, (run: Run) => ReactNode][] = [
    [
      t("versions.parent"),
      (r) =>
        r.lineage?.parentAdapterVersion != null ? `v${r.lineage.parentAdapterVersion}` : t("versions.fresh"),
    ],
    [t("versions.dataset"), (r) => `v${r.datasetVersion}`],
    [
      t("versions.corrections"),
      (r) => (r.lineage ? String(r.lineage.correctionsIncluded) : t("common.none")),
    ],
    [t("versions.baseModel"), (r) => <span className="mono">{r.baseModel}</span>],
    [t("versions.soundsLikeYou"), (r) => percent(figuresOf(r).soundsLikeYou)],
    [t("versions.authorship"), (r) => percent(figuresOf(r).authorship)],
    [t("versions.preference"), (r) => preferenceText(r)],
    [
      t("versions.blindTest"),
      (r) => {
        const b = r.blindTest;
        if (!b || b.answers === 0 || b.pickedRealShare == null) return t("versions.blindTestNone");
        return t("versions.blindTestResult", {
          share: percent(b.pickedRealShare),
          low: percent(b.low ?? undefined),
          high: percent(b.high ?? undefined),
          n: b.answers,
        });
      },
    ],
    [
      t("versions.perplexity"),
      (r) => {
        const f = figuresOf(r);
        return `${fixed(f.base)} → ${fixed(f.adapted)}`;
      },
    ],
    [
      t("versions.bundles"),
      (r) => {
        const bundles = clone.publishedVersions.filter((b) => b.adapterVersion === r.adapterVersion);
        return bundles.length === 0
          ? t("versions.notPublished")
          : bundles.map((b) => `v${b.version}${b.current ? ` (${t("publish.current")})` : ""}`).join(", ");
      },
    ],
  ];
  return (
    <section className="card" aria-labelledby="versions-title">
      <h2 id="versions-title">{t("versions.title")}</h2>
      <p className="muted small">{t("versions.lead")}</p>
      {error != null && <ErrorBox error={error} />}
      <div className="table-wrap">
        <table data-testid="adapter-versions">
          <thead>
            <tr>
              <th scope="col">{t("versions.version")}</th>
              {runs.map((r) => (
                <th scope="col" key={r.id} data-adapter-version={r.adapterVersion}>
                  v{r.adapterVersion}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, cell]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {runs.map((r) => (
                  <td key={r.id}>{cell(r)}</td>
                ))}
              </tr>
            ))}
            <tr>
              <th scope="row" />
              {runs.map((r) => {
                const version = r.adapterVersion as number;
                const bundles = clone.publishedVersions.filter((b) => b.adapterVersion === version);
                const current = bundles.some((b) => b.current);
                const newest = bundles.at(-1);
                return (
                  <td key={r.id} data-testid={`adapter-v${version}-actions`}>
                    <div className="actions">
                      <button
                        type="button"
                        disabled={busy !== null || training}
                        onClick={() => publish(version)}
                      >
                        {t("versions.publish")}
                      </button>
                      <button
                        type="button"
                        data-testid={`blind-test-v${version}`}
                        disabled={busy !== null}
                        onClick={() => setBlindVersion(version)}
                      >
                        {t("versions.blindTestStart")}
                      </button>
                      {current ? (
                        <span className="good small">{t("versions.current")}</span>
                      ) : (
                        newest && (
                          <button
                            type="button"
                            disabled={busy !== null}
                            onClick={() => goBack(newest.version)}
                          >
                            {t("versions.goBack")}
                          </button>
                        )
                      )}
                    </div>
                  </td>
                );
              })}
            </tr>
          </tbody>
        </table>
      </div>
      {blindVersion !== null && (
        <BlindTestPanel
          key={blindVersion}
          cloneId={clone.id}
          adapterVersion={blindVersion}
          onClose={() => setBlindVersion(null)}
        />
      )}
    </section>
  );
}
