import { ErrorBox, Loading, StatusBadge } from "../components/common";
import { useI18n } from "../i18n";
import { useClones } from "../live";
import { Link } from "../router";

export function CloneList() {
  const { t, dateTime } = useI18n();
  const { clones, total, hasMore, error, reload, more } = useClones();
  return (
    <section aria-labelledby="list-title">
      <div className="row between">
        <h1 id="list-title">{t("list.title")}</h1>
        <Link href="/new" className="button primary">
          {t("list.new")}
        </Link>
      </div>
      {error != null && <ErrorBox error={error} onRetry={reload} />}
      {clones === undefined && error == null && <Loading />}
      {clones?.length === 0 && <p className="empty">{t("list.empty")}</p>}
      {clones && clones.length > 0 && (
        <>
          <p className="muted">{t("list.count", { count: total })}</p>
          <ul className="clone-list">
            {clones.map((clone) => {
              const run = clone.trainingRuns.at(-1);
              return (
                <li key={clone.id} className="card clone-item" data-clone-id={clone.id}>
                  <Link href={`/clones/${clone.id}`} className="clone-link">
                    <strong>{clone.name}</strong>
                  </Link>
                  <StatusBadge status={clone.status} />
                  <span className="muted small">
                    {t("list.sources", { count: clone.sources.length })} ·{" "}
                    {t("list.updated", { time: dateTime(clone.updatedAt) })}
                    {run?.status === "RUNNING" && run.progress
                      ? ` · ${t("list.step", { step: run.progress.step, total: run.progress.totalSteps })}`
                      : ""}
                  </span>
                </li>
              );
            })}
          </ul>
          {hasMore && (
            <button type="button" onClick={more}>
              {t("list.more")}
            </button>
          )}
        </>
      )}
    </section>
  );
}
