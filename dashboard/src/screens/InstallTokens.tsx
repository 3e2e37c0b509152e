import { useCallback, useEffect, useState } from "react";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { CopyButton, ErrorBox } from "../components/common";
import { useToast } from "../components/Toasts";
import {
  CreateInstallTokenDocument,
  type InstallTokenFieldsFragment,
  InstallTokensDocument,
  RevokeInstallTokenDocument,
} from "../gql/graphql";
import { useI18n } from "../i18n";
import { describeError, useApi } from "../session";

type InstallToken = InstallTokenFieldsFragment;

/**
 * The install command and the clone's install tokens. The command is shown only with a real token (created
 * here, shown once): a placeholder command would be copied and fail. Tokens are listed and revoked here.
 */
export function InstallTokens({ cloneId }: { cloneId: string }) {
  const { t, dateTime } = useI18n();
  const api = useApi();
  const notify = useToast();
  const [tokens, setTokens] = useState<InstallToken[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState("");
  const [days, setDays] = useState("7");
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ command: string; tokenId: string } | null>(null);
  const [revoking, setRevoking] = useState<InstallToken | null>(null);
  const load = useCallback(async () => {
    try {
      setTokens((await api.request(InstallTokensDocument, { id: cloneId })).clone?.installTokens ?? []);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api, cloneId]);
  useEffect(() => {
    void load();
  }, [load]);
  const dayCount = Number(days);
  const validDays = Number.isFinite(dayCount) && dayCount >= 1 && dayCount <= 90;
  return (
    <div data-testid="install-tokens">
      <h3>{t("publish.install")}</h3>
      {created ? (
        <div className="secret" role="status">
          <p>{t("tokens.once")}</p>
          <div className="command">
            <code data-testid="install-command-with-token">{created.command}</code>
            <CopyButton text={created.command} />
          </div>
          <p className="muted small">{t("publish.installHint")}</p>
        </div>
      ) : (
        <p className="muted" data-testid="install-command-needs-token">
          {t("publish.installNeedsToken")}
        </p>
      )}
      <h3>{t("keys.installTokens")}</h3>
      <p className="muted small">{t("tokens.lead")}</p>
      <form
        className="row wrap"
        onSubmit={async (event) => {
          event.preventDefault();
          if (!validDays || busy) return;
          setBusy(true);
          try {
            const { createInstallToken } = await api.request(CreateInstallTokenDocument, {
              cloneId,
              name: name.trim() || "install",
              expiresIn: Math.round(dayCount * 86_400),
            });
            setCreated({
              command: createInstallToken.installCommand,
              tokenId: createInstallToken.installToken.id,
            });
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
          <span>{t("tokens.name")}</span>
          <input name="tokenName" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span>{t("tokens.days")}</span>
          <input
            type="number"
            min={1}
            max={90}
            value={days}
            aria-invalid={!validDays}
            onChange={(e) => setDays(e.target.value)}
          />
        </label>
        <button type="submit" className="primary" disabled={!validDays || busy}>
          {t("tokens.create")}
        </button>
      </form>
      {error != null && <ErrorBox error={error} onRetry={load} />}
      {tokens !== null && tokens.length === 0 && <p className="muted">{t("tokens.empty")}</p>}
      {tokens !== null && tokens.length > 0 && (
        <div className="table-wrap">
          <table className="stack" data-testid="install-token-list">
            <thead>
              <tr>
                <th scope="col">{t("tokens.name")}</th>
                <th scope="col">{t("keys.prefix")}</th>
                <th scope="col">{t("keys.created")}</th>
                <th scope="col">{t("tokens.state")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("keys.revoke")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id} data-token-id={token.id} data-active={String(token.active)}>
                  <td data-label={t("tokens.name")}>{token.name}</td>
                  <td className="mono" data-label={t("keys.prefix")}>
                    {token.prefix}…
                  </td>
                  <td data-label={t("keys.created")}>
                    {dateTime(token.createdAt)}
                    <br />
                    <span className="muted small">
                      {t("tokens.expires", { time: dateTime(token.expiresAt) })}
                    </span>
                  </td>
                  <td data-testid="token-state" data-label={t("tokens.state")}>
                    {token.active
                      ? t("keys.active")
                      : token.revokedAt
                        ? `${t("keys.revoked")} ${dateTime(token.revokedAt)}`
                        : t("tokens.expired")}
                  </td>
                  <td>
                    {token.active && (
                      <button type="button" className="danger" onClick={() => setRevoking(token)}>
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
      <ConfirmDialog
        open={revoking !== null}
        danger
        message={revoking ? t("tokens.revokeConfirm", { name: revoking.name }) : ""}
        onCancel={() => setRevoking(null)}
        onConfirm={async () => {
          const token = revoking;
          setRevoking(null);
          if (!token) return;
          try {
            const { revokeInstallToken } = await api.request(RevokeInstallTokenDocument, {
              cloneId,
              tokenId: token.id,
            });
            setTokens(
              (list) =>
                list?.map((item) => (item.id === revokeInstallToken.id ? revokeInstallToken : item)) ?? null,
            );
            // The command shown once no longer works: hide it.
            setCreated((shown) => (shown?.tokenId === token.id ? null : shown));
            notify(t("tokens.revoked"), "success");
            await load();
          } catch (e) {
            notify(describeError(t, e), "error");
          }
        }}
      />
    </div>
  );
}
