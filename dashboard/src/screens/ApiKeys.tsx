import { useCallback, useEffect, useState } from "react";
import { actionKey } from "../api/client";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { CopyButton, ErrorBox, Loading } from "../components/common";
import { keyName } from "../components/labels";
import { useToast } from "../components/Toasts";
import { CreateApiKeyDocument, MeDocument, type MeQuery, RevokeApiKeyDocument } from "../gql/graphql";
import { useI18n } from "../i18n";
import { describeError, useApi, useSession } from "../session";

type Key = MeQuery["me"]["apiKeys"][number];

export function ApiKeys() {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  const api = useApi();
  const { signOut } = useSession();
  const notify = useToast();
  const [me, setMe] = useState<MeQuery["me"] | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState("");
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [revoking, setRevoking] = useState<Key | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => {
    try {
      setMe((await api.request(MeDocument)).me);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">{t("keys.title")}</h1>
      <p className="muted">{t("keys.lead")}</p>
      {/* The platform names its first owner "owner": that is the reader, said so in their language. */}
      {me && <p>{me.name === "owner" ? t("keys.firstOwner") : t("keys.owner", { name: me.name })}</p>}
      <div className="card">
        <form
          className="row wrap"
          onSubmit={async (event) => {
            event.preventDefault();
            if (!name.trim()) return;
            setBusy(true);
            try {
              const { createApiKey } = await api.request(CreateApiKeyDocument, {
                name: name.trim(),
                idempotencyKey: actionKey(),
              });
              setCreated({ name: createApiKey.apiKey.name, secret: createApiKey.secret });
              setName("");
              await load();
            } catch (e) {
              notify(describeError(t, e), "error");
            } finally {
              setBusy(false);
            }
          }}
        >
          <label className="field grow">
            <span>{t("keys.name")}</span>
            <input
              name="keyName"
              required
              maxLength={80}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <button type="submit" className="primary" disabled={busy}>
            {t("keys.create")}
          </button>
        </form>
        {created && (
          <div className="secret" role="status" data-testid="new-secret">
            <p>{t("keys.secret", { name: created.name })}</p>
            <div className="command">
              <code>{created.secret}</code>
              <CopyButton text={created.secret} />
            </div>
            <button type="button" className="link" onClick={() => setCreated(null)}>
              {t("common.close")}
            </button>
          </div>
        )}
      </div>
      {error != null && <ErrorBox error={error} onRetry={load} />}
      {me === undefined && error == null && <Loading />}
      {me && me.apiKeys.length === 0 && <p className="empty">{t("keys.empty")}</p>}
      {me && me.apiKeys.length > 0 && (
        <div className="table-wrap">
          <table data-testid="keys">
            <thead>
              <tr>
                <th scope="col">{t("keys.column")}</th>
                <th scope="col">{t("keys.prefix")}</th>
                <th scope="col">{t("keys.created")}</th>
                <th scope="col">{t("tokens.state")}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {me.apiKeys.map((key) => (
                <tr key={key.id}>
                  <td>
                    {keyName(i18n, key.name)}
                    {key.id === me.keyId && <span className="badge badge-neutral">{t("keys.current")}</span>}
                  </td>
                  <td className="mono">{key.prefix}</td>
                  <td>{dateTime(key.createdAt)}</td>
                  <td data-testid="key-state">
                    {key.revokedAt ? `${t("keys.revoked")} ${dateTime(key.revokedAt)}` : t("keys.active")}
                  </td>
                  <td>
                    {!key.revokedAt && (
                      <button type="button" className="danger" onClick={() => setRevoking(key)}>
                        {t("keys.revoke")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t("keys.installTokens")}</h2>
      <p className="muted">{t("keys.installTokensNote")}</p>
      <ConfirmDialog
        open={revoking !== null}
        danger
        message={
          revoking
            ? `${t("keys.revokeConfirm", { name: keyName(i18n, revoking.name) })}${revoking.id === me?.keyId ? ` ${t("keys.revokeCurrent")}` : ""}`
            : ""
        }
        onCancel={() => setRevoking(null)}
        onConfirm={async () => {
          const key = revoking;
          setRevoking(null);
          if (!key) return;
          try {
            await api.request(RevokeApiKeyDocument, { id: key.id, idempotencyKey: actionKey() });
            if (key.id === me?.keyId) signOut();
            else await load();
          } catch (e) {
            notify(describeError(t, e), "error");
          }
        }}
      />
    </section>
  );
}
