import { useState } from "react";
import { actionKey } from "../api/client";
import { ErrorBox } from "../components/common";
import { BuildDatasetDocument, ImportCorrectionsDocument, RecordCorrectionDocument } from "../gql/graphql";
import { useI18n } from "../i18n";
import type { Clone } from "../live";
import { useApi } from "../session";

/**
 * The owner's corrections (docs/corrections.md): a preview reply rewritten into what the owner would say,
 * an installed clone's corrections file uploaded, and how many corrections the next dataset will include.
 * Corrections enter a dataset when it is built: the note offers to build it again with the same choices.
 */

type Message = { role: "USER" | "ASSISTANT"; content: string };

/** "Correct": the clone's reply edited into the owner's words, then recorded. */
export function CorrectReply(props: {
  clone: Clone;
  adapterVersion: number;
  context: Message[];
  draft: string;
  accept(next: Clone): void;
  onSaved(ownerText: string): void;
}) {
  const { t } = useI18n();
  const api = useApi();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(props.draft);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  if (!editing)
    return (
      <button type="button" className="small" onClick={() => setEditing(true)}>
        {t("corrections.correct")}
      </button>
    );

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const { recordCorrection } = await api.request(RecordCorrectionDocument, {
        input: {
          cloneId: props.clone.id,
          adapterVersion: props.adapterVersion,
          context: props.context,
          draft: props.draft,
          ownerText: text,
        },
      });
      props.accept(recordCorrection.clone);
      props.onSaved(recordCorrection.correction.ownerText);
      setEditing(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <label className="field">
        <span>{t("corrections.yourWords")}</span>
        <textarea value={text} rows={3} onChange={(event) => setText(event.target.value)} />
      </label>
      {error != null && <ErrorBox error={error} />}
      <div className="row">
        <button type="submit" className="primary" disabled={busy || !text.trim()}>
          {t("corrections.save")}
        </button>
        <button type="button" disabled={busy} onClick={() => setEditing(false)}>
          {t("corrections.cancel")}
        </button>
      </div>
    </form>
  );
}

/** How many corrections there are and how many the next dataset adds, with a rebuild when some wait. */
export function CorrectionsNote({ clone, accept }: { clone: Clone; accept(next: Clone): void }) {
  const { t } = useI18n();
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { total, notInDataset } = clone.corrections;
  const request = clone.datasetRequest;
  const building = clone.status === "DATASET_BUILDING";

  const rebuild = async () => {
    if (!request) return;
    setBusy(true);
    setError(null);
    try {
      const { owner, includeChats, excludeChats, includeContacts, excludeContacts, options } = request;
      const { buildDataset } = await api.request(BuildDatasetDocument, {
        input: {
          cloneId: clone.id,
          owner: owner ?? undefined,
          includeChats,
          excludeChats,
          includeContacts,
          excludeContacts,
          ...(options as object),
        },
        idempotencyKey: actionKey(),
      });
      accept(buildDataset);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="stack" data-testid="corrections-note">
      <p className="small">
        {t("corrections.count", { total })}{" "}
        {notInDataset > 0
          ? t("corrections.nextDataset", { n: notInDataset })
          : total > 0 && t("corrections.allIncluded")}
      </p>
      {notInDataset > 0 && request && (
        <div className="row">
          <button type="button" disabled={busy || building} onClick={() => void rebuild()}>
            {building ? t("corrections.building") : t("corrections.rebuild")}
          </button>
        </div>
      )}
      {error != null && <ErrorBox error={error} />}
    </div>
  );
}

/** The corrections of the Preview tab: the count, the rebuild, and a corrections file to upload. */
export function CorrectionsBox({ clone, accept }: { clone: Clone; accept(next: Clone): void }) {
  const { t } = useI18n();
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<{ imported: number; alreadyRecorded: number } | null>(null);

  const upload = async (file: File) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const { importCorrections } = await api.request(ImportCorrectionsDocument, {
        input: { cloneId: clone.id, text: await file.text() },
      });
      accept(importCorrections.clone);
      setDone(importCorrections);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="corrections-title" data-testid="corrections">
      <h3 id="corrections-title">{t("corrections.title")}</h3>
      <p className="muted small">{t("corrections.lead")}</p>
      <CorrectionsNote clone={clone} accept={accept} />
      <div className="row wrap">
        <label className="button">
          {busy ? t("corrections.uploading") : t("corrections.upload")}
          <input
            type="file"
            className="visually-hidden"
            data-testid="corrections-file"
            accept=".json,application/json"
            disabled={busy}
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void upload(file);
              event.target.value = "";
            }}
          />
        </label>
      </div>
      {done && (
        <p className="small good" role="status">
          {t("corrections.imported", { n: done.imported, already: done.alreadyRecorded })}
        </p>
      )}
      {error != null && <ErrorBox error={error} />}
    </section>
  );
}
