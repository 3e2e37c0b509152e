import { useEffect, useRef, useState } from "react";
import { actionKey } from "../api/client";
import { useToast } from "../components/Toasts";
import { RenameCloneDocument } from "../gql/graphql";
import { useI18n } from "../i18n";
import type { Clone } from "../live";
import { describeError, useApi } from "../session";

/** The clone's name as the page's heading, with "Rename": an inline form that saves the new name. */
export function CloneName({ clone, accept }: { clone: Clone; accept(next: Clone): void }) {
  const { t } = useI18n();
  const api = useApi();
  const notify = useToast();
  const [draft, setDraft] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const editing = draft !== null;
  // The form opens on the person's click: the field takes the focus for typing at once.
  useEffect(() => {
    if (editing) input.current?.focus();
  }, [editing]);
  if (draft === null)
    return (
      <div className="row wrap clone-name">
        <h1 id="clone-title">{clone.name}</h1>
        {clone.status !== "DELETED" && (
          <button type="button" className="link" onClick={() => setDraft(clone.name)}>
            {t("rename.edit")}
          </button>
        )}
      </div>
    );
  const name = draft.trim();
  return (
    <form
      className="row wrap clone-name"
      data-testid="rename-form"
      onSubmit={async (event) => {
        event.preventDefault();
        if (!name || busy) return;
        setBusy(true);
        try {
          const { renameClone } = await api.request(RenameCloneDocument, {
            cloneId: clone.id,
            name,
            idempotencyKey: actionKey(),
          });
          accept(renameClone);
          setDraft(null);
          notify(t("rename.saved"), "success");
        } catch (e) {
          notify(describeError(t, e), "error");
        } finally {
          setBusy(false);
        }
      }}
    >
      <h1 id="clone-title" className="visually-hidden">
        {clone.name}
      </h1>
      <label className="field grow">
        <span>{t("rename.label")}</span>
        <input
          name="cloneName"
          value={draft}
          maxLength={80}
          ref={input}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape") setDraft(null);
          }}
        />
      </label>
      <button type="submit" className="primary" disabled={!name || busy}>
        {t("rename.save")}
      </button>
      <button type="button" onClick={() => setDraft(null)}>
        {t("rename.cancel")}
      </button>
    </form>
  );
}
