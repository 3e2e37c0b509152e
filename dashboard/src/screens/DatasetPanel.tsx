import { useI18n } from "../i18n";
import type { Clone } from "../live";
import { Link } from "../router";
import { DatasetReport } from "./DatasetReport";

/** Ids of people and chats (`user1`, a WhatsApp file's path) by the names the inspections found. */
function namesOf(clone: Clone): Map<string, string> {
  const names = new Map<string, string>();
  for (const source of clone.sources)
    for (const item of [...(source.inspection?.participants ?? []), ...(source.inspection?.chats ?? [])])
      if (item.name) names.set(item.id, item.name);
  return names;
}

export function DatasetPanel({ clone }: { clone: Clone }) {
  const { t, number, dateTime } = useI18n();
  const dataset = clone.dataset;
  const request = clone.datasetRequest;
  const names = namesOf(clone);
  const named = (ids: readonly string[]) =>
    ids.length === 0 ? (
      t("common.none")
    ) : (
      <span data-own-words>{ids.map((id) => names.get(id) ?? id).join(", ")}</span>
    );
  return (
    <section className="card" aria-labelledby="dataset-title">
      <h2 id="dataset-title">{t("dataset.title")}</h2>
      {clone.status === "DATASET_FAILED" && clone.datasetError && (
        <div className="error-box" role="alert" data-testid="dataset-error">
          {t("review.failed", { reason: clone.datasetError.reason })}
        </div>
      )}
      {clone.status === "DATASET_BUILDING" && (
        <p className="muted" aria-live="polite">
          {t("review.building")}
        </p>
      )}
      {!dataset ? (
        clone.status !== "DATASET_BUILDING" && <p className="empty">{t("dataset.empty")}</p>
      ) : (
        <>
          <p className="muted">
            {t("dataset.version", { version: dataset.version, time: dateTime(dataset.builtAt) })}
          </p>
          <dl className="stats" data-testid="dataset-stats">
            {(
              [
                ["dataset.conversations", dataset.stats.conversations],
                ["dataset.ownerMessages", dataset.stats.ownerMessages],
                ["dataset.samples", dataset.stats.samples],
                ["dataset.train", dataset.stats.trainSamples],
                ["dataset.validation", dataset.stats.validationSamples],
                ["dataset.corrections", dataset.stats.corrections ?? 0],
                ["dataset.dropped", dataset.stats.droppedMessages],
              ] as const
            ).map(([key, value]) => (
              <div key={key}>
                <dt>{t(key)}</dt>
                <dd>{value == null ? t("common.none") : number(value, 0)}</dd>
              </div>
            ))}
          </dl>
          {request && (
            <>
              <h3>{t("dataset.request")}</h3>
              <dl className="facts">
                <dt>{t("dataset.owner")}</dt>
                <dd>{named(request.owner ? [request.owner] : [])}</dd>
                <dt>{t("dataset.excludedChats")}</dt>
                <dd>{named(request.excludeChats)}</dd>
                <dt>{t("dataset.excludedContacts")}</dt>
                <dd>{named(request.excludeContacts)}</dd>
              </dl>
            </>
          )}
          <DatasetReport cloneId={clone.id} version={dataset.version} />
          {clone.datasets.length > 1 && (
            <>
              <h3>{t("dataset.versions")}</h3>
              <ul>
                {clone.datasets.map((d) => (
                  <li key={d.version}>
                    v{d.version} · {dateTime(d.builtAt)} · {t("dataset.samples")}:{" "}
                    {number(d.stats.samples, 0)}
                  </li>
                ))}
              </ul>
            </>
          )}
          <div className="actions">
            <Link href={`/clones/${clone.id}/training`} className="button primary">
              {t("dataset.toTraining")}
            </Link>
          </div>
        </>
      )}
    </section>
  );
}
