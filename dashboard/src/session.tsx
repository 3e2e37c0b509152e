import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { ApiClient, ApiError } from "./api/client";
import { FeaturesDocument, MeDocument } from "./gql/graphql";
import { type Translate, useI18n } from "./i18n";

const KEY_STORAGE = "aiclone.apiKey";

/** Parts of later issues that the server may or may not have yet, found by introspection. */
export interface Features {
  installCommand: boolean;
  installTokens: boolean;
  bundleDownload: boolean;
}
const noFeatures: Features = { installCommand: false, installTokens: false, bundleDownload: false };

interface Session {
  api: ApiClient | null;
  features: Features;
  signIn(key: string): Promise<void>;
  signOut(reason?: string): void;
  signOutReason: string | null;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [key, setKey] = useState<string | null>(() => localStorage.getItem(KEY_STORAGE));
  const [reason, setReason] = useState<string | null>(null);
  const [features, setFeatures] = useState<Features>(noFeatures);

  const signOut = useCallback((why?: string) => {
    localStorage.removeItem(KEY_STORAGE);
    setKey(null);
    setReason(why ?? null);
  }, []);

  const api = useMemo(
    () => (key ? new ApiClient(key, () => signOut(t("error.UNAUTHENTICATED"))) : null),
    [key, signOut, t],
  );
  useEffect(() => () => api?.close(), [api]);

  useEffect(() => {
    if (!api) return;
    let live = true;
    api
      .request(FeaturesDocument)
      .then((result) => {
        const names = (type: { fields: { name: string }[] | null } | null) =>
          new Set((type?.fields ?? []).map((f) => f.name));
        const clone = names(result.cloneType);
        const version = names(result.versionType);
        const mutation = names(result.mutationType);
        if (live)
          setFeatures({
            installCommand: clone.has("installCommand"),
            installTokens: mutation.has("createInstallToken"),
            bundleDownload: version.has("downloadUrl") || version.has("bundleUrl"),
          });
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [api]);

  const signIn = useCallback(async (candidate: string) => {
    const probe = new ApiClient(candidate, () => {});
    await probe.request(MeDocument);
    localStorage.setItem(KEY_STORAGE, candidate);
    setReason(null);
    setKey(candidate);
  }, []);

  const value = useMemo<Session>(
    () => ({ api, features, signIn, signOut, signOutReason: reason }),
    [api, features, signIn, signOut, reason],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

/** The signed-in client; screens under the shell only render with one. */
export function useApi(): ApiClient {
  const { api } = useSession();
  if (!api) throw new Error("not signed in");
  return api;
}

/** A user-facing sentence for an API error, in the current language. */
export function describeError(t: Translate, error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case "NETWORK":
        return t("error.NETWORK");
      case "UNAUTHENTICATED":
        return t("error.UNAUTHENTICATED");
      case "CONFLICT":
      case "NOT_FOUND":
      case "FORBIDDEN":
        return t(`error.${error.code}`, { message: error.message });
      case "BAD_USER_INPUT":
        return t("error.BAD_USER_INPUT", {
          field: error.field ? ` (${error.field})` : "",
          message: error.message,
        });
      default:
        return t("error.generic", { message: error.message });
    }
  }
  return error instanceof Error ? error.message : String(error);
}
