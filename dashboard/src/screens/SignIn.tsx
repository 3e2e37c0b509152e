import { useState } from "react";
import { ErrorBox } from "../components/common";
import { useI18n } from "../i18n";
import { useSession } from "../session";

export function SignIn() {
  const { t } = useI18n();
  const { signIn, signOutReason } = useSession();
  const [key, setKey] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [empty, setEmpty] = useState(false);
  return (
    <section className="card narrow" aria-labelledby="signin-title">
      <h1 id="signin-title">{t("signIn.title")}</h1>
      <p>{t("signIn.lead")}</p>
      {signOutReason && !error && <p className="warning">{signOutReason}</p>}
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          const candidate = key.trim();
          setEmpty(!candidate);
          if (!candidate) return;
          setBusy(true);
          setError(null);
          try {
            await signIn(candidate);
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        <label className="field">
          <span>{t("signIn.key")}</span>
          <input
            name="apiKey"
            type="password"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            placeholder="ak_…"
            autoComplete="current-password"
            spellCheck={false}
            aria-invalid={empty || undefined}
            aria-describedby="signin-note"
            // biome-ignore lint/a11y/noAutofocus: the only field on the page
            autoFocus
          />
        </label>
        {empty && <p className="field-error">{t("signIn.empty")}</p>}
        {error != null && <ErrorBox error={error} />}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("signIn.checking") : t("signIn.submit")}
        </button>
        <p id="signin-note" className="muted small">
          {t("signIn.stored")}
        </p>
      </form>
    </section>
  );
}
