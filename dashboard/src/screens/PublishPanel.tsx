import { useState } from "react";
import { actionKey } from "../api/client";
import { CopyButton, ErrorBox } from "../components/common";
import { PublishCloneDocument, SelectPublishedVersionDocument } from "../gql/graphql";
import { useI18n } from "../i18n";
import type { Clone } from "../live";
import { describeError, useApi } from "../session";
import { InstallTokens } from "./InstallTokens";
import { VersionsPanel } from "./VersionsPanel";

type Version = Clone["publishedVersions"][number];

/** sha256 of a blob in hex, or null where the browser has no SubtleCrypto (a plain-HTTP remote origin). */
async function sha256Hex(blob: Blob): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null;
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

interface DownloadState {
  phase: "loading" | "done" | "failed";
  size?: number;
  verified?: boolean | null;
  gzip?: boolean;
  message?: string;
}

/** Downloads one version's bundle with the signed-in key (fetch → Blob → object URL) and checks its sha256. */
function DownloadButton({ cloneId, version }: { cloneId: string; version: Version }) {
  const { t, bytes } = useI18n();
  const api = useApi();
  const [state, setState] = useState<DownloadState | null>(null);
  return (
    <div
      className="download"
      data-testid={`download-v${version.version}`}
      data-phase={state?.phase ?? "idle"}
    >
      <button
        type="button"
        disabled={state?.phase === "loading"}
        onClick={async () => {
          setState({ phase: "loading" });
          try {
            const { blob, fileName } = await api.download(
              version.downloadUrl,
              `clone-${cloneId}-v${version.version}.tar.gz`,
            );
            const magic = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
            const digest = await sha256Hex(blob);
            const url = URL.createObjectURL(blob);
            const link = document.createElement("a");
            link.href = url;
            link.download = fileName;
            link.rel = "noopener";
            document.body.append(link);
            link.click();
            link.remove();
            setTimeout(() => URL.revokeObjectURL(url), 60_000);
            setState({
              phase: "done",
              size: blob.size,
              gzip: magic[0] === 0x1f && magic[1] === 0x8b,
              verified: digest === null || !version.sha256 ? null : digest === version.sha256,
            });
          } catch (e) {
            setState({ phase: "failed", message: describeError(t, e) });
          }
        }}
      >
        {state?.phase === "loading" ? t("publish.downloading") : t("publish.download")}
      </button>
      {state?.phase === "done" && (
        <span
          className="small"
          role="status"
          data-testid="download-result"
          data-size={state.size}
          data-gzip={String(state.gzip)}
          data-verified={String(state.verified)}
        >
          {t("publish.downloaded", { size: bytes(state.size ?? 0) })}
          {state.verified === true && <span className="good"> · {t("publish.shaOk")}</span>}
          {state.verified === false && <span className="bad"> · {t("publish.shaBad")}</span>}
        </span>
      )}
      {state?.phase === "failed" && (
        <span className="small bad" role="alert">
          {state.message}
        </span>
      )}
    </div>
  );
}

export function PublishPanel({ clone, accept }: { clone: Clone; accept(next: Clone): void }) {
  const { t, dateTime, bytes } = useI18n();
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const trained = clone.trainingRuns.some((r) => r.status === "COMPLETED");
  const published = clone.publishedVersions.length > 0;

  const goBack = async (version: number) => {
    setBusy(true);
    setError(null);
    try {
      const { selectPublishedVersion } = await api.request(SelectPublishedVersionDocument, {
        cloneId: clone.id,
        version,
      });
      accept(selectPublishedVersion);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <VersionsPanel clone={clone} accept={accept} />
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

        {published ? (
          <InstallTokens cloneId={clone.id} />
        ) : (
          <>
            <h3>{t("publish.install")}</h3>
            <p className="muted">{t("publish.installEmpty")}</p>
          </>
        )}

        <h3>{t("publish.versions")}</h3>
        {clone.publishedVersions.length === 0 ? (
          <p className="muted">{t("publish.versionsEmpty")}</p>
        ) : (
          <div className="table-wrap">
            <table className="stack" data-testid="versions">
              <thead>
                <tr>
                  <th scope="col">{t("publish.version")}</th>
                  <th scope="col">{t("publish.adapter")}</th>
                  <th scope="col">{t("publish.date")}</th>
                  <th scope="col">{t("publish.size")}</th>
                  <th scope="col">sha256</th>
                  <th scope="col">{t("publish.bundle")}</th>
                </tr>
              </thead>
              <tbody>
                {[...clone.publishedVersions].reverse().map((v) => (
                  <tr key={v.version} data-version={v.version} data-current={String(v.current)}>
                    <td data-label={t("publish.version")}>
                      v{v.version}
                      {v.current ? (
                        <span className="good small"> · {t("publish.current")}</span>
                      ) : (
                        <button
                          type="button"
                          className="small"
                          disabled={busy}
                          data-testid={`go-back-v${v.version}`}
                          onClick={() => goBack(v.version)}
                        >
                          {t("publish.goBack")}
                        </button>
                      )}
                    </td>
                    <td data-label={t("publish.adapter")}>v{v.adapterVersion}</td>
                    <td data-label={t("publish.date")}>{dateTime(v.publishedAt)}</td>
                    <td data-label={t("publish.size")}>
                      {v.size == null ? t("common.none") : bytes(v.size)}
                    </td>
                    <td className="mono" data-label="sha256">
                      {v.sha256 ? (
                        <span title={v.sha256}>
                          {v.sha256.slice(0, 12)}… <CopyButton text={v.sha256} />
                        </span>
                      ) : (
                        t("common.none")
                      )}
                    </td>
                    <td data-label={t("publish.bundle")}>
                      <DownloadButton cloneId={clone.id} version={v} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
