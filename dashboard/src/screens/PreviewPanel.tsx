import { useEffect, useRef, useState } from "react";
import { ErrorBox } from "../components/common";
import { PreviewReplyDocument, StartPreviewReplyDocument } from "../gql/graphql";
import { useI18n } from "../i18n";
import type { Clone } from "../live";
import { useApi } from "../session";
import { CorrectionsBox, CorrectReply } from "./CorrectionsPanel";

/**
 * Preview chat: the owner talks to a trained adapter version before publishing it. The platform's `preview`
 * role answers through the runtime's engine with the bundle's defaults, so the reply is what the installed
 * clone would say; its text streams in over the previewReply subscription. Each finished reply can be
 * corrected into the owner's own words (CorrectionsPanel), which the next dataset includes.
 */

interface Turn {
  role: "USER" | "ASSISTANT";
  content: string;
  /** The reply is still streaming. */
  pending?: boolean;
  finish?: string | null;
  error?: string | null;
  /** The owner's words recorded as a correction of this reply. */
  corrected?: string;
}

const reply = { whiteSpace: "pre-wrap", overflowWrap: "anywhere" } as const;

function useTrainedVersions(clone: Clone): number[] {
  return clone.trainingRuns
    .filter((run) => run.status === "COMPLETED" && run.adapterVersion != null)
    .map((run) => run.adapterVersion as number)
    .sort((a, b) => b - a);
}

/** The conversation a reply answered: the turns before it, failed replies left out. */
const contextOf = (turns: Turn[], index: number) =>
  turns
    .slice(0, index)
    .filter((turn) => !turn.error)
    .map(({ role, content }) => ({ role, content }));

export function PreviewPanel({ clone, accept }: { clone: Clone; accept(next: Clone): void }) {
  const { t } = useI18n();
  const api = useApi();
  const versions = useTrainedVersions(clone);
  const [version, setVersion] = useState<number | undefined>(versions[0]);
  const [turns, setTurns] = useState<Turn[]>([]);
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<unknown>(null);
  const unsubscribe = useRef<(() => void) | null>(null);
  const busy = turns.some((turn) => turn.pending);

  useEffect(() => () => unsubscribe.current?.(), []);
  useEffect(() => {
    if (version === undefined && versions[0] !== undefined) setVersion(versions[0]);
  }, [version, versions]);

  const updateLast = (change: (turn: Turn) => Turn) =>
    setTurns((all) => all.map((turn, i) => (i === all.length - 1 ? change(turn) : turn)));

  const send = async () => {
    const text = draft.trim();
    if (!text || version === undefined || busy) return;
    const conversation: Turn[] = [...turns.filter((turn) => !turn.error), { role: "USER", content: text }];
    setTurns([...conversation, { role: "ASSISTANT", content: "", pending: true }]);
    setDraft("");
    setError(null);
    try {
      const { startPreviewReply } = await api.request(StartPreviewReplyDocument, {
        input: {
          cloneId: clone.id,
          adapterVersion: version,
          messages: conversation.map(({ role, content }) => ({ role, content })),
        },
      });
      unsubscribe.current?.();
      unsubscribe.current = api.subscribe(
        PreviewReplyDocument,
        { replyId: startPreviewReply.id },
        ({ previewReply: piece }) =>
          updateLast((turn) => ({
            ...turn,
            content: turn.content + piece.text,
            pending: !piece.done,
            finish: piece.finishReason ?? turn.finish,
            error: piece.error ?? turn.error,
          })),
        (failure) => {
          setError(failure);
          updateLast((turn) => ({ ...turn, pending: false, error: failure.message }));
        },
      );
    } catch (failure) {
      setError(failure);
      setTurns(conversation.slice(0, -1));
      setDraft(text);
    }
  };

  if (versions.length === 0)
    return (
      <section className="card" aria-labelledby="preview-title">
        <h2 id="preview-title">{t("preview.title")}</h2>
        <p className="empty">{t("preview.needTraining")}</p>
      </section>
    );

  return (
    <section className="card" aria-labelledby="preview-title">
      <h2 id="preview-title">{t("preview.title")}</h2>
      <p className="muted">{t("preview.lead")}</p>
      <div className="row wrap">
        <label className="field">
          <span>{t("preview.version")}</span>
          <select
            value={version}
            disabled={busy}
            onChange={(event) => {
              setVersion(Number(event.target.value));
              setTurns([]);
            }}
          >
            {versions.map((v) => (
              <option key={v} value={v}>
                {t("preview.versionOption", { version: v })}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={busy || turns.length === 0} onClick={() => setTurns([])}>
          {t("preview.newChat")}
        </button>
      </div>
      <ol className="preview-chat" data-testid="preview-chat" aria-live="polite">
        {turns.length === 0 && <li className="muted">{t("preview.empty")}</li>}
        {turns.map((turn, i) => (
          <li
            // biome-ignore lint/suspicious/noArrayIndexKey: turns are only appended or cleared
            key={i}
            className={turn.role === "USER" ? "preview-user" : "preview-clone"}
            data-role={turn.role}
            data-pending={turn.pending ? "true" : undefined}
          >
            <strong>{turn.role === "USER" ? t("preview.you") : t("preview.clone")}</strong>
            <div style={reply} data-own-words>
              {turn.content || (turn.pending ? "…" : "")}
            </div>
            {turn.error && (
              <span className="small bad" role="alert">
                {t("preview.failed", { message: turn.error })}
              </span>
            )}
            {turn.finish === "LENGTH" && <span className="small muted">{t("preview.cut")}</span>}
            {turn.corrected !== undefined && (
              <div className="small good" data-testid="corrected" style={reply}>
                {t("corrections.saved", { text: turn.corrected })}
              </div>
            )}
            {turn.role === "ASSISTANT" &&
              !turn.pending &&
              !turn.error &&
              turn.content &&
              turn.corrected === undefined &&
              version !== undefined && (
                <CorrectReply
                  clone={clone}
                  adapterVersion={version}
                  context={contextOf(turns, i)}
                  draft={turn.content}
                  accept={accept}
                  onSaved={(text) =>
                    setTurns((all) =>
                      all.map((other, j) => (j === i ? { ...other, corrected: text } : other)),
                    )
                  }
                />
              )}
          </li>
        ))}
      </ol>
      {error != null && <ErrorBox error={error} />}
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          void send();
        }}
      >
        <label className="field grow">
          <span>{t("preview.message")}</span>
          <textarea value={draft} rows={2} onChange={(event) => setDraft(event.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={busy || !draft.trim()}>
          {busy ? t("preview.answering") : t("preview.send")}
        </button>
      </form>
      <CorrectionsBox clone={clone} accept={accept} />
    </section>
  );
}
