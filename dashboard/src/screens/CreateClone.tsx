import { useRef, useState } from "react";
import { actionKey } from "../api/client";
import { ErrorBox } from "../components/common";
import { ConfigurePersonaDocument, CreateCloneDocument } from "../gql/graphql";
import { useI18n } from "../i18n";
import { useClones } from "../live";
import { navigate } from "../router";
import { useApi } from "../session";
import { type PersonaDraft, PersonaFields } from "./PersonaFields";

export function CreateClone() {
  const { t, language } = useI18n();
  const api = useApi();
  const clones = useClones();
  const [name, setName] = useState("");
  const [persona, setPersona] = useState<PersonaDraft>({ displayName: "", language, systemPrompt: "" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // One key per form, so a double submit or a retry after a network error creates one clone.
  const keys = useRef({ create: actionKey(), persona: actionKey() });
  return (
    <section className="card" aria-labelledby="create-title">
      <h1 id="create-title">{t("create.title")}</h1>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setError(null);
          try {
            const { createClone } = await api.request(CreateCloneDocument, {
              input: { name: name.trim() },
              idempotencyKey: keys.current.create,
            });
            await api.request(ConfigurePersonaDocument, {
              input: {
                cloneId: createClone.id,
                displayName: persona.displayName.trim() || name.trim(),
                language: persona.language,
                systemPrompt: persona.systemPrompt.trim(),
              },
              idempotencyKey: keys.current.persona,
            });
            void clones.reload();
            navigate(`/clones/${createClone.id}/sources`);
          } catch (e) {
            setError(e);
            setBusy(false);
          }
        }}
      >
        <label className="field">
          <span>{t("create.name")}</span>
          <input
            name="name"
            required
            maxLength={80}
            value={name}
            onChange={(e) => {
              const next = e.target.value;
              if (!persona.displayName || persona.displayName === name)
                setPersona({ ...persona, displayName: next });
              setName(next);
            }}
            aria-describedby="name-hint"
            // biome-ignore lint/a11y/noAutofocus: the form's first field
            autoFocus
          />
          <small id="name-hint">{t("create.nameHint")}</small>
        </label>
        <PersonaFields value={persona} onChange={setPersona} />
        {error != null && <ErrorBox error={error} />}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t("create.creating") : t("create.submit")}
          </button>
        </div>
      </form>
    </section>
  );
}
