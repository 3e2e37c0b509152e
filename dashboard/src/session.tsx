import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { ApiClient, ApiError } from "./api/client";
import { MeDocument } from "./gql/graphql";
import { type Translate, useI18n } from "./i18n";

const KEY_STORAGE = "aiclone.apiKey";

interface Session {
  api: ApiClient | null;
  signIn(key: string): Promise<void>;
  signOut(reason?: string): void;
  signOutReason: string | null;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [key, setKey] = useState<string | null>(() => localStorage.getItem(KEY_STORAGE));
  const [reason, setReason] = useState<string | null>(null);

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

  const signIn = useCallback(async (candidate: string) => {
    const probe = new ApiClient(candidate, () => {});
    await probe.request(MeDocument);
    localStorage.setItem(KEY_STORAGE, candidate);
    setReason(null);
    setKey(candidate);
  }, []);

  const value = useMemo<Session>(
    () => ({ api, signIn, signOut, signOutReason: reason }),
    [api, signIn, signOut, reason],
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
      case "RATE_LIMITED":
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
