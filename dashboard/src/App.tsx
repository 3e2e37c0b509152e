import { useEffect, useState } from "react";
import type { ApiClient, ConnectionState } from "./api/client";
import { ToastProvider } from "./components/Toasts";
import { I18nProvider, useI18n } from "./i18n";
import { ClonesProvider } from "./live";
import { Link, usePath } from "./router";
import { ApiKeys } from "./screens/ApiKeys";
import { CloneDetail, type Tab, tabs } from "./screens/CloneDetail";
import { CloneList } from "./screens/CloneList";
import { CreateClone } from "./screens/CreateClone";
import { SignIn } from "./screens/SignIn";
import { SessionProvider, useSession } from "./session";

export function App() {
  return (
    <I18nProvider>
      <ToastProvider>
        <SessionProvider>
          <Shell />
        </SessionProvider>
      </ToastProvider>
    </I18nProvider>
  );
}

function Shell() {
  const { t, language, setLanguage } = useI18n();
  const { api, signOut } = useSession();
  const path = usePath();
  return (
    <>
      <a href="#main" className="skip">
        {t("app.skip")}
      </a>
      <header className="top">
        <Link href="/" className="brand">
          {t("app.title")}
        </Link>
        <nav aria-label={t("nav.main")}>
          {api && <ConnectionBadge api={api} />}
          {api && (
            <>
              <Link href="/" aria-current={path === "/" ? "page" : undefined}>
                {t("nav.clones")}
              </Link>
              <Link href="/keys" aria-current={path === "/keys" ? "page" : undefined}>
                {t("nav.keys")}
              </Link>
            </>
          )}
          <button
            type="button"
            className="link"
            lang={language === "ru" ? "en" : "ru"}
            aria-label={t("nav.languageLabel")}
            data-testid="language-switch"
            onClick={() => setLanguage(language === "ru" ? "en" : "ru")}
          >
            {t("nav.language")}
          </button>
          {api && (
            <button type="button" className="link" onClick={() => signOut()}>
              {t("nav.signOut")}
            </button>
          )}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {api ? (
          <ClonesProvider key={api.apiKey}>
            <Route path={path} />
          </ClonesProvider>
        ) : (
          <SignIn />
        )}
      </main>
    </>
  );
}

/** Whether live updates arrive: connected, reconnecting after a drop, or lost (still retrying). */
function ConnectionBadge({ api }: { api: ApiClient }) {
  const { t } = useI18n();
  const [state, setState] = useState<ConnectionState>("connecting");
  useEffect(() => api.onConnectionState(setState), [api]);
  return (
    <span
      className={`connection ${state}`}
      role="status"
      aria-label={t("connection.label")}
      data-testid="connection"
      data-state={state}
    >
      {t(`connection.${state}`)}
    </span>
  );
}

function Route({ path }: { path: string }) {
  const { t } = useI18n();
  if (path === "/" || path === "") return <CloneList />;
  if (path === "/new") return <CreateClone />;
  if (path === "/keys") return <ApiKeys />;
  const match = /^\/clones\/([^/]+)(?:\/([a-z]+))?\/?$/.exec(path);
  if (match) {
    const tab = (tabs as readonly string[]).includes(match[2] ?? "") ? (match[2] as Tab) : "sources";
    return <CloneDetail key={match[1]} id={decodeURIComponent(match[1]!)} tab={tab} />;
  }
  return <p className="empty">{t("common.pageNotFound")}</p>;
}
