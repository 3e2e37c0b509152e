import { useCallback, useEffect, useState } from "react";
import { CopyButton, ErrorBox } from "../components/common";
import { useToast } from "../components/Toasts";
import { TypedDocumentString } from "../gql/graphql";
import { useI18n } from "../i18n";
import { describeError, useApi } from "../session";

// Publishing support (issue 7) arrives in the schema separately; these are sent only when introspection
// found createInstallToken, so they stay out of the generated operations until the schema settles.
interface InstallToken {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  active: boolean;
}
const TOKEN_FIELDS = "id name prefix createdAt expiresAt revokedAt active";
const TokensDocument = new TypedDocumentString<
  { clone: { installTokens: InstallToken[] } | null },
  { id: string }
>(`query InstallTokens($id: ID!) { clone(id: $id) { installTokens { ${TOKEN_FIELDS} } } }`);
const CreateDocument = new TypedDocumentString<
  { createInstallToken: { token: string; installCommand: string; installToken: InstallToken } },
  { cloneId: string; name: string; expiresIn: number }
>(`mutation CreateInstallToken($cloneId: ID!, $name: String!, $expiresIn: Int!) {
  createInstallToken(cloneId: $cloneId, name: $name, expiresIn: $expiresIn) {
    token installCommand installToken { ${TOKEN_FIELDS} } } }`);
const RevokeDocument = new TypedDocumentString<
  { revokeInstallToken: InstallToken },
  { cloneId: string; tokenId: string }
>(`mutation RevokeInstallToken($cloneId: ID!, $tokenId: ID!) {
  revokeInstallToken(cloneId: $cloneId, tokenId: $tokenId) { ${TOKEN_FIELDS} } }`);

/** Install tokens of one clone: create one (its install command shown once), list, revoke. */
export function InstallTokens({ cloneId }: { cloneId: string }) {
  const { t, dateTime } = useI18n();
  const api = useApi();
  const notify = useToast();
  const [tokens, setTokens] = useState<InstallToken[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState("");
  const [days, setDays] = useState("7");
  const [created, setCreated] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setTokens((await api.request(TokensDocument, { id: cloneId })).clone?.installTokens ?? []);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api, cloneId]);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <div data-testid="install-tokens">
      <h3>{t("keys.installTokens")}</h3>
      <form
        className="row wrap"
        onSubmit={async (event) => {
          event.preventDefault();
          try {
            const { createInstallToken } = await api.request(CreateDocument, {
              cloneId,
              name: name.trim() || "install",
              expiresIn: Math.round(Number(days) * 86_400),
            });
            setCreated(createInstallToken.installCommand);
            setName("");
            await load();
          } catch (e) {
            notify(describeError(t, e), "error");
          }
        }}
      >
        <label className="field grow">
          <span>{t("tokens.name")}</span>
          <input name="tokenName" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span>{t("tokens.days")}</span>
          <input type="number" min={1} max={90} value={days} onChange={(e) => setDays(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          {t("tokens.create")}
        </button>
      </form>
      {created && (
        <div className="secret" role="status">
          <p>{t("tokens.once")}</p>
          <div className="command">
            <code data-testid="install-command-with-token">{created}</code>
            <CopyButton text={created} />
          </div>
        </div>
      )}
      {error != null && <ErrorBox error={error} onRetry={load} />}
      {tokens.length > 0 && (
        <div className="table-wrap">
          <table>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td className="mono">{token.prefix}</td>
                  <td>{t("tokens.expires", { time: dateTime(token.expiresAt) })}</td>
                  <td>{token.active ? t("keys.active") : t("keys.revoked")}</td>
                  <td>
                    {token.active && (
                      <button
                        type="button"
                        className="danger"
                        onClick={async () => {
                          try {
                            await api.request(RevokeDocument, { cloneId, tokenId: token.id });
                            await load();
                          } catch (e) {
                            notify(describeError(t, e), "error");
                          }
                        }}
                      >
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
    </div>
  );
}
