import { useMemo, useRef, useState } from "react";
import { actionKey, type UploadHandle } from "../api/client";
import { ErrorBox, ProgressBar } from "../components/common";
import { BuildDatasetDocument, UploadSourceDocument } from "../gql/graphql";
import { useI18n } from "../i18n";
import type { Clone } from "../live";
import { navigate } from "../router";
import { describeError, useApi } from "../session";

interface UploadItem {
  key: number;
  name: string;
  loaded: number;
  total: number;
  state: "uploading" | "done" | "failed";
  error?: string;
  handle?: UploadHandle<unknown>;
}

export function SourcesPanel({ clone, accept }: { clone: Clone; accept(next: Clone): void }) {
  return (
    <>
      <UploadBox clone={clone} accept={accept} />
      <SourceReview clone={clone} accept={accept} />
    </>
  );
}

function UploadBox({ clone, accept }: { clone: Clone; accept(next: Clone): void }) {
  const { t, bytes } = useI18n();
  const api = useApi();
  const [items, setItems] = useState<UploadItem[]>([]);
  const [over, setOver] = useState(false);
  const next = useRef(1);
  const update = (key: number, patch: Partial<UploadItem>) =>
    setItems((all) => all.map((item) => (item.key === key ? { ...item, ...patch } : item)));

  // Files go one after another: each gets the whole connection, and the progress bars mean something.
  const queue = useRef(Promise.resolve());
  const start = (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      const key = next.current++;
      setItems((all) => [...all, { key, name: file.name, loaded: 0, total: file.size, state: "uploading" }]);
      queue.current = queue.current.then(async () => {
        const handle = api.upload(
          UploadSourceDocument,
          { cloneId: clone.id, file: null as unknown as File, idempotencyKey: actionKey() },
          "file",
          file,
          (progress) => update(key, { loaded: progress.loaded, total: progress.total }),
        );
        update(key, { handle });
        try {
          const { uploadSource } = await handle.done;
          accept(uploadSource);
          update(key, { state: "done", loaded: file.size, total: file.size, handle: undefined });
        } catch (error) {
          update(key, { state: "failed", error: describeError(t, error), handle: undefined });
        }
      });
    }
  };

  return (
    <section className="card" aria-labelledby="upload-title">
      <h2 id="upload-title">{t("upload.title")}</h2>
      <p className="muted">{t("upload.lead")}</p>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop zone; the file input inside is the keyboard path */}
      <div
        className={over ? "dropzone over" : "dropzone"}
        data-testid="dropzone"
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(event) => {
          event.preventDefault();
          setOver(false);
          if (event.dataTransfer.files.length) start(event.dataTransfer.files);
        }}
      >
        <span>{t("upload.drop")} </span>
        <label className="button">
          {t("upload.choose")}
          <input
            type="file"
            multiple
            className="visually-hidden"
            data-testid="file-input"
            accept=".json,.txt,.zip,application/json,text/plain,application/zip"
            onChange={(event) => {
              if (event.target.files?.length) start(event.target.files);
              event.target.value = "";
            }}
          />
        </label>
      </div>
      {items.length > 0 && (
        <ul className="uploads" aria-live="polite">
          {items.map((item) => (
            <li key={item.key} data-upload-state={item.state}>
              <div className="row between wrap">
                <span className="file-name">{item.name}</span>
                <span className="muted small">
                  {item.state === "uploading" &&
                    `${t("upload.uploading")}: ${t("upload.progress", { loaded: bytes(item.loaded), total: bytes(item.total) })}`}
                  {item.state === "done" && t("upload.done")}
                  {item.state === "failed" && `${t("upload.failed")}: ${item.error}`}
                </span>
              </div>
              <ProgressBar value={item.loaded} max={item.total || 1} label={item.name} />
              {item.state === "uploading" && item.handle && (
                <button type="button" className="link" onClick={() => item.handle?.abort()}>
                  {t("upload.abort")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

interface Person {
  id: string;
  name: string | null;
  messages: number;
}

function SourceReview({ clone, accept }: { clone: Clone; accept(next: Clone): void }) {
  const { t, dateTime, bytes, number, maybe } = useI18n();
  const api = useApi();
  const request = clone.datasetRequest;
  const candidate = clone.sources.find((s) => s.inspection?.ownerCandidate)?.inspection?.ownerCandidate;
  const [owner, setOwner] = useState<string>(request?.owner ?? candidate?.id ?? "");
  const [excludeChats, setExcludeChats] = useState<Set<string>>(new Set(request?.excludeChats ?? []));
  const [excludeContacts, setExcludeContacts] = useState<Set<string>>(
    new Set(request?.excludeContacts ?? []),
  );
  const [gap, setGap] = useState("360");
  const [valFraction, setValFraction] = useState("0.1");
  const [pseudonymize, setPseudonymize] = useState(false);
  const [ocr, setOcr] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [ownerMissing, setOwnerMissing] = useState(false);

  // Participants and chats joined across all exports (one person may appear in several).
  const { people, chats } = useMemo(() => {
    const people = new Map<string, Person>();
    const chats = new Map<string, { id: string; name: string | null; type: string; messages: number }>();
    for (const source of clone.sources) {
      for (const p of source.inspection?.participants ?? []) {
        const known = people.get(p.id);
        people.set(p.id, { ...p, messages: (known?.messages ?? 0) + p.messages });
      }
      for (const c of source.inspection?.chats ?? []) {
        const known = chats.get(c.id);
        chats.set(c.id, { ...c, messages: (known?.messages ?? 0) + c.messages });
      }
    }
    return {
      people: [...people.values()].sort((a, b) => b.messages - a.messages),
      chats: [...chats.values()].sort((a, b) => b.messages - a.messages),
    };
  }, [clone.sources]);

  const inspecting = clone.sources.some((s) => !s.purged && !s.inspection);
  const usable = clone.sources.some((s) => !s.purged && s.inspection && !s.inspection.error);
  const building = clone.status === "DATASET_BUILDING";
  const toggle = (set: Set<string>, value: string, apply: (next: Set<string>) => void) => {
    const next = new Set(set);
    if (next.has(value)) next.delete(value);
    else next.add(value);
    apply(next);
  };

  if (clone.sources.length === 0)
    return (
      <section className="card" aria-labelledby="review-title">
        <h2 id="review-title">{t("review.title")}</h2>
        <p className="empty">{t("review.empty")}</p>
      </section>
    );

  return (
    <section className="card" aria-labelledby="review-title">
      <h2 id="review-title">{t("review.title")}</h2>
      {clone.status === "DATASET_FAILED" && clone.datasetError && (
        <div className="error-box" role="alert" data-testid="dataset-error">
          {t("review.failed", { reason: clone.datasetError.reason })}
        </div>
      )}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("review.chat")}</th>
              <th scope="col">{t("review.format")}</th>
              <th scope="col">{t("review.messages")}</th>
              <th scope="col">{t("review.skipped")}</th>
              <th scope="col">{t("review.period")}</th>
              <th scope="col">{t("review.size")}</th>
            </tr>
          </thead>
          <tbody>
            {clone.sources.map((source) => {
              const inspection = source.inspection;
              return (
                <tr key={source.id} data-source={source.fileName}>
                  <td>
                    {source.fileName}
                    {source.purged && <span className="muted small"> — {t("review.purged")}</span>}
                  </td>
                  {!inspection ? (
                    <td colSpan={5} className="muted">
                      {source.purged ? t("common.none") : t("review.inspecting")}
                    </td>
                  ) : inspection.error ? (
                    <td colSpan={5} className="field-error">
                      {t("review.unreadable", { reason: inspection.error })}
                    </td>
                  ) : (
                    <>
                      <td data-testid="source-format">
                        {inspection.formats.map((f) => maybe(`format.${f}`, f)).join(", ")}
                      </td>
                      <td>{number(inspection.messages, 0)}</td>
                      <td>{number(inspection.skipped, 0)}</td>
                      <td>
                        {dateTime(inspection.firstMessageAt)} — {dateTime(inspection.lastMessageAt)}
                      </td>
                      <td>{bytes(source.size)}</td>
                    </>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {inspecting && (
        <p className="muted" aria-live="polite">
          {t("review.inspecting")}
        </p>
      )}

      {usable && (
        <form
          onSubmit={async (event) => {
            event.preventDefault();
            if (!owner && !candidate) {
              setOwnerMissing(true);
              return;
            }
            setBusy(true);
            setError(null);
            try {
              const { buildDataset } = await api.request(BuildDatasetDocument, {
                input: {
                  cloneId: clone.id,
                  owner: owner || undefined,
                  excludeChats: [...excludeChats],
                  excludeContacts: [...excludeContacts],
                  sessionGapMinutes: Number(gap) || undefined,
                  valFraction: Number(valFraction),
                  pseudonymizeContacts: pseudonymize,
                  ocr,
                },
                idempotencyKey: actionKey(),
              });
              accept(buildDataset);
              navigate(`/clones/${clone.id}/dataset`);
            } catch (e) {
              setError(e);
            } finally {
              setBusy(false);
            }
          }}
        >
          <fieldset>
            <legend>{t("review.participants")}</legend>
            <p className="muted small">
              {candidate
                ? t("review.ownerFromExport", { name: candidate.name ?? candidate.id })
                : t("review.ownerHint")}
            </p>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("review.participant")}</th>
                    <th scope="col">{t("review.messages")}</th>
                    <th scope="col">{t("review.owner")}</th>
                    <th scope="col">{t("review.exclude")}</th>
                  </tr>
                </thead>
                <tbody>
                  {people.map((person) => (
                    <tr key={person.id} data-participant={person.name ?? person.id}>
                      <td>{person.name ?? t("review.unnamed")}</td>
                      <td>{number(person.messages, 0)}</td>
                      <td>
                        <input
                          type="radio"
                          name="owner"
                          value={person.id}
                          checked={owner === person.id}
                          aria-label={`${t("review.owner")}: ${person.name ?? person.id}`}
                          onChange={() => {
                            setOwner(person.id);
                            setOwnerMissing(false);
                            setExcludeContacts((all) => new Set([...all].filter((x) => x !== person.id)));
                          }}
                        />
                      </td>
                      <td>
                        <input
                          type="checkbox"
                          checked={excludeContacts.has(person.id)}
                          disabled={owner === person.id}
                          aria-label={`${t("review.exclude")}: ${person.name ?? person.id}`}
                          onChange={() => toggle(excludeContacts, person.id, setExcludeContacts)}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {ownerMissing && <p className="field-error">{t("review.needOwner")}</p>}
          </fieldset>
          <fieldset>
            <legend>{t("review.chats")}</legend>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("review.chat")}</th>
                    <th scope="col">{t("review.chatType")}</th>
                    <th scope="col">{t("review.messages")}</th>
                    <th scope="col">{t("review.exclude")}</th>
                  </tr>
                </thead>
                <tbody>
                  {chats.map((chat) => (
                    <tr key={chat.id}>
                      <td>{chat.name ?? chat.id}</td>
                      <td>{maybe(`chatType.${chat.type}`, chat.type)}</td>
                      <td>{number(chat.messages, 0)}</td>
                      <td>
                        <input
                          type="checkbox"
                          checked={excludeChats.has(chat.id)}
                          aria-label={`${t("review.exclude")}: ${chat.name ?? chat.id}`}
                          onChange={() => toggle(excludeChats, chat.id, setExcludeChats)}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </fieldset>
          <details>
            <summary>{t("review.options")}</summary>
            <div className="grid">
              <label className="field">
                <span>{t("review.gap")}</span>
                <input type="number" min={1} value={gap} onChange={(e) => setGap(e.target.value)} />
              </label>
              <label className="field">
                <span>{t("review.valFraction")}</span>
                <input
                  type="number"
                  min={0}
                  max={0.5}
                  step={0.05}
                  value={valFraction}
                  onChange={(e) => setValFraction(e.target.value)}
                />
              </label>
              <label className="check">
                <input
                  type="checkbox"
                  checked={pseudonymize}
                  onChange={(e) => setPseudonymize(e.target.checked)}
                />
                {t("review.pseudonymize")}
              </label>
              <label className="check">
                <input type="checkbox" checked={ocr} onChange={(e) => setOcr(e.target.checked)} />
                {t("review.ocr")}
              </label>
            </div>
          </details>
          {error != null && <ErrorBox error={error} />}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy || building || inspecting}>
              {building ? t("review.building") : t("review.build")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
