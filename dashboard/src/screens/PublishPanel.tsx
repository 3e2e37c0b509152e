import { useEffect, useState } from "react";
import { actionKey } from "../api/client";
import { CopyButton, ErrorBox } from "../components/common";
import { PublishCloneDocument, TypedDocumentString } from "../gql/graphql";
import { useI18n } from "../i18n";
import type { Clone } from "../live";
import { useApi, useSession } from "../session";
import { InstallTokens } from "./InstallTokens";

// Only sent when introspection found the field (issue 7 adds it); not in the typed operations until then.
const InstallCommandDocument = new TypedDocumentString<
  { clone: { installCommand: string | null } | null },
  { id: string }
>("query InstallCommand($id: ID!) { clone(id: $id) { installCommand } }");

export function PublishPanel({ clone, accept }: { clone: Clone; accept(next: Clone): void }) {
  const { t, dateTime, bytes } = useI18n();
  const api = useApi();
  const { features } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [installCommand, setInstallCommand] = useState<string | null>(null);
  const trained = clone.trainingRuns.some((r) => r.status === "COMPLETED");
  const published = clone.publishedVersions.length > 0;
  const latestVersion = clone.publishedVersions.at(-1)?.version;

  useEffect(() => {
    if (!features.installCommand || latestVersion === undefined) return;
    let live = true;
    api
      .request(InstallCommandDocument, { id: clone.id })
      .then((r) => live && setInstallCommand(r.clone?.installCommand ?? null))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [api, clone.id, features.installCommand, latestVersion]);

  return (
    <section className="card" aria-labelledby="publish-title">
      <h2 id="publish-title">{t("publish.title")}</h2>
      {!trained && <p className="empty">{t("publish.needTraining")}</p>}
      {error != null && <ErrorBox error={error} />}
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={!trained || busy || clone.status === "TRAINING" || clone.status === "TRAINING_QUEUED"}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              const { publishClone } = await api.request(PublishCloneDocument, {
                cloneId: clone.id,
                idempotencyKey: actionKey(),
              });
              accept(publishClone);
            } catch (e) {
              setError(e);
            } finally {
              setBusy(false);
            }
          }}
        >
          {busy ? t("publish.publishing") : published ? t("publish.again") : t("publish.submit")}
        </button>
      </div>

      <h3>{t("publish.install")}</h3>
      {features.installCommand ? (
        installCommand ? (
          <div className="command">
            <code data-testid="install-command">{installCommand}</code>
            <CopyButton text={installCommand} />
            <p className="muted small">{t("publish.installHint")}</p>
          </div>
        ) : (
          <p className="muted">{published ? t("common.loading") : t("publish.versionsEmpty")}</p>
        )
      ) : (
        <div className="disabled-box" aria-disabled="true" data-testid="install-unavailable">
          <div className="command">
            <code>bash &lt;(curl -fsSL …/install_clone.sh) --clone-id … --token …</code>
            <button type="button" disabled>
              {t("common.copy")}
            </button>
          </div>
          <button type="button" disabled>
            {t("publish.download")}
          </button>
          <p>
            <strong>{t("publish.unavailable")}.</strong> {t("publish.unavailableNote")}
          </p>
        </div>
      )}

      {features.installTokens && published && <InstallTokens cloneId={clone.id} />}

      <h3>{t("publish.versions")}</h3>
      {clone.publishedVersions.length === 0 ? (
        <p className="muted">{t("publish.versionsEmpty")}</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="versions">
            <thead>
              <tr>
                <th scope="col">{t("publish.version")}</th>
                <th scope="col">{t("publish.adapter")}</th>
                <th scope="col">{t("publish.date")}</th>
                <th scope="col">{t("publish.size")}</th>
                <th scope="col">sha256</th>
              </tr>
            </thead>
            <tbody>
              {[...clone.publishedVersions].reverse().map((v) => (
                <tr key={v.version}>
                  <td>v{v.version}</td>
                  <td>v{v.adapterVersion}</td>
                  <td>{dateTime(v.publishedAt)}</td>
                  <td>{v.size == null ? t("common.none") : bytes(v.size)}</td>
                  <td className="mono">{v.sha256 ? `${v.sha256.slice(0, 12)}…` : t("common.none")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
