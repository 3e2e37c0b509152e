import { ErrorBox, Loading, StatusBadge } from "../components/common";
import { type MessageKey, useI18n } from "../i18n";
import { useLiveClone } from "../live";
import { Link } from "../router";
import { CloneName } from "./CloneName";
import { DatasetPanel } from "./DatasetPanel";
import { FidelityPanel } from "./FidelityPanel";
import { PreviewPanel } from "./PreviewPanel";
import { PublishPanel } from "./PublishPanel";
import { SettingsPanel } from "./SettingsPanel";
import { SourcesPanel } from "./SourcesPanel";
import { TimelinePanel } from "./TimelinePanel";
import { TrainingPanel } from "./TrainingPanel";

export const tabs = [
  "sources",
  "dataset",
  "training",
  "fidelity",
  "preview",
  "publish",
  "timeline",
  "settings",
] as const;
export type Tab = (typeof tabs)[number];

export function CloneDetail({ id, tab }: { id: string; tab: Tab }) {
  const { t } = useI18n();
  const live = useLiveClone(id);
  const { clone, error, reload } = live;
  if (clone === undefined) return error != null ? <ErrorBox error={error} onRetry={reload} /> : <Loading />;
  if (clone === null)
    return (
      <section>
        <p className="empty">{t("common.notFound")}</p>
        <Link href="/">{t("common.back")}</Link>
      </section>
    );
  return (
    <section aria-labelledby="clone-title" data-clone-id={clone.id}>
      <Link href="/" className="muted small">
        {t("common.back")}
      </Link>
      <div className="row between wrap">
        <CloneName clone={clone} accept={live.accept} />
        <StatusBadge status={clone.status} />
      </div>
      {error != null && <ErrorBox error={error} onRetry={reload} />}
      <nav className="tabs" aria-label={t("tabs.label")}>
        {tabs.map((name) => (
          <Link
            key={name}
            href={`/clones/${clone.id}/${name}`}
            className={name === tab ? "tab active" : "tab"}
            aria-current={name === tab ? "page" : undefined}
          >
            {t(`tabs.${name}` as MessageKey)}
          </Link>
        ))}
      </nav>
      <div className="panel">
        {tab === "sources" && <SourcesPanel clone={clone} accept={live.accept} />}
        {tab === "dataset" && <DatasetPanel clone={clone} />}
        {tab === "training" && <TrainingPanel clone={clone} accept={live.accept} />}
        {tab === "fidelity" && <FidelityPanel clone={clone} />}
        {tab === "preview" && <PreviewPanel clone={clone} accept={live.accept} />}
        {tab === "publish" && <PublishPanel clone={clone} accept={live.accept} />}
        {tab === "timeline" && <TimelinePanel cloneId={clone.id} />}
        {tab === "settings" && <SettingsPanel clone={clone} accept={live.accept} />}
      </div>
    </section>
  );
}
