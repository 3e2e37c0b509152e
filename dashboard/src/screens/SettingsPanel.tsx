import { useState } from "react";
import { actionKey } from "../api/client";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { ErrorBox } from "../components/common";
import { useToast } from "../components/Toasts";
import { ConfigurePersonaDocument, DeleteCloneDocument, PurgeRawDataDocument } from "../gql/graphql";
import { useI18n } from "../i18n";
import { type Clone, useClones } from "../live";
import { navigate } from "../router";
import { describeError, useApi } from "../session";
import { type PersonaDraft, PersonaFields } from "./PersonaFields";

export function SettingsPanel({ clone, accept }: { clone: Clone; accept(next: Clone): void }) {
  const { t, language } = useI18n();
  const api = useApi();
  const notify = useToast();
  const clones = useClones();
  const [persona, setPersona] = useState<PersonaDraft>({
    displayName: clone.persona?.displayName ?? clone.name,
    language: clone.persona?.language ?? language,
    systemPrompt: clone.persona?.systemPrompt ?? "",
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<"purge" | "delete" | null>(null);
  const hasRaw = clone.sources.some((s) => !s.purged);

  return (
    <>
      <section className="card" aria-labelledby="persona-title">
        <h2 id="persona-title">{t("settings.persona")}</h2>
        <form
          onSubmit={async (event) => {
            event.preventDefault();
            setBusy(true);
            setError(null);
            try {
              const { configurePersona } = await api.request(ConfigurePersonaDocument, {
                input: { cloneId: clone.id, ...persona },
                idempotencyKey: actionKey(),
              });
              accept(configurePersona);
              notify(t("settings.saved"), "success");
            } catch (e) {
              setError(e);
            } finally {
              setBusy(false);
            }
          }}
        >
          <PersonaFields value={persona} onChange={setPersona} />
          {error != null && <ErrorBox error={error} />}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t("common.save")}
            </button>
          </div>
        </form>
      </section>
      <section className="card danger-zone" aria-labelledby="danger-title">
        <h2 id="danger-title">{t("settings.danger")}</h2>
        <div className="row between wrap">
          <p>{t("settings.purgeHint")}</p>
          <button type="button" className="danger" disabled={!hasRaw} onClick={() => setDialog("purge")}>
            {t("settings.purge")}
          </button>
        </div>
        <div className="row between wrap">
          <p>{t("settings.deleteHint")}</p>
          <button type="button" className="danger" onClick={() => setDialog("delete")}>
            {t("settings.delete")}
          </button>
        </div>
      </section>
      <ConfirmDialog
        open={dialog === "purge"}
        danger
        message={t("settings.purgeConfirm", { name: clone.name })}
        onCancel={() => setDialog(null)}
        onConfirm={async () => {
          setDialog(null);
          try {
            const { purgeRawData } = await api.request(PurgeRawDataDocument, {
              cloneId: clone.id,
              idempotencyKey: actionKey(),
            });
            accept(purgeRawData);
            notify(t("settings.purged"), "success");
          } catch (e) {
            notify(describeError(t, e), "error");
          }
        }}
      />
      <ConfirmDialog
        open={dialog === "delete"}
        danger
        message={t("settings.deleteConfirm", { name: clone.name })}
        typed={{ label: t("settings.deleteType"), expected: clone.name }}
        onCancel={() => setDialog(null)}
        onConfirm={async () => {
          setDialog(null);
          try {
            await api.request(DeleteCloneDocument, { cloneId: clone.id, idempotencyKey: actionKey() });
            void clones.reload();
            navigate("/");
            // Raised on the list it leads to, so the change of screen does not dismiss it.
            notify(t("settings.deleted", { name: clone.name }), "success");
          } catch (e) {
            notify(describeError(t, e), "error");
          }
        }}
      />
    </>
  );
}
