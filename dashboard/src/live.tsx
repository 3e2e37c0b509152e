import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from "react";
import { useToast } from "./components/Toasts";
import {
  CloneDocument,
  type CloneFieldsFragment,
  type CloneSummaryFragment,
  CloneSummaryUpdatedDocument,
  ClonesDocument,
  CloneUpdatedDocument,
} from "./gql/graphql";
import { useI18n } from "./i18n";
import { useApi } from "./session";

export type Clone = CloneFieldsFragment;
export type Run = Clone["trainingRuns"][number];

/** The newer of two views of a clone: a stale query answer never overwrites a pushed update. */
function newer<T extends { revision: number }>(current: T | null | undefined, incoming: T): T {
  return current && current.revision > incoming.revision ? current : incoming;
}

/**
 * One clone, read once and then kept current by the `cloneUpdated` subscription (re-subscribed when the
 * server ends it, and re-read after a reconnect, so nothing pushed while offline is missed).
 */
export function useLiveClone(id: string) {
  const api = useApi();
  const [clone, setClone] = useState<Clone | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      const result = await api.request(CloneDocument, { id });
      setClone((current) => (result.clone ? newer(current, result.clone) : null));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api, id]);
  useEffect(() => {
    setClone(undefined);
    void load();
    const stop = api.watch(CloneUpdatedDocument, { id }, (data) =>
      setClone((current) => newer(current, data.cloneUpdated)),
    );
    const off = api.onReconnect(() => void load());
    return () => {
      stop();
      off();
    };
  }, [api, id, load]);
  /** Takes a mutation's answer as the newest view. */
  const accept = useCallback((next: Clone) => setClone((current) => newer(current, next)), []);
  return { clone, error, reload: load, accept };
}

const TRAINED = new Set(["TRAINED"]);

/** Shows an in-app toast and, when the person allowed it, a browser notification. */
export function useReadyNotifier() {
  const notify = useToast();
  const { t } = useI18n();
  return useCallback(
    (name: string) => {
      const title = t("training.notifyTitle");
      const body = t("training.notifyBody", { name });
      notify(`${title}: ${body}`, "success");
      if ("Notification" in window && Notification.permission === "granted") {
        try {
          new Notification(title, { body });
        } catch {
          // Some browsers allow notifications only from a service worker; the toast is enough.
        }
      }
    },
    [notify, t],
  );
}

/**
 * The owner's clones with live status: one `cloneUpdated` subscription per listed clone on the shared
 * socket. Notifies when a clone becomes TRAINED.
 */
export function useLiveClones(pageSize = 20) {
  const api = useApi();
  const readyNotifier = useReadyNotifier();
  const [clones, setClones] = useState<CloneSummaryFragment[] | undefined>(undefined);
  const [total, setTotal] = useState(0);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const statuses = useRef(new Map<string, string>());

  const remember = useCallback(
    (clone: CloneSummaryFragment) => {
      const before = statuses.current.get(clone.id);
      statuses.current.set(clone.id, clone.status);
      if (before && before !== clone.status && TRAINED.has(clone.status)) readyNotifier(clone.name);
    },
    [readyNotifier],
  );

  const load = useCallback(
    async (after: string | null = null) => {
      try {
        const { clones: page } = await api.request(ClonesDocument, { first: pageSize, after });
        for (const clone of page.nodes) remember(clone);
        setClones((current) => {
          const base = after ? (current ?? []) : [];
          const seen = new Set(base.map((c) => c.id));
          return [...base, ...page.nodes.filter((c) => !seen.has(c.id))];
        });
        setTotal(page.totalCount);
        setCursor(page.pageInfo.endCursor ?? null);
        setHasMore(page.pageInfo.hasNextPage);
        setError(null);
      } catch (e) {
        setError(e);
      }
    },
    [api, pageSize, remember],
  );

  useEffect(() => {
    void load();
    const off = api.onReconnect(() => void load());
    return off;
  }, [api, load]);

  const ids = (clones ?? []).map((c) => c.id).join(",");
  useEffect(() => {
    if (!ids) return;
    const stops = ids.split(",").map((id) =>
      api.watch(CloneSummaryUpdatedDocument, { id }, ({ cloneUpdated }) => {
        remember(cloneUpdated);
        setClones((current) =>
          current
            ?.map((c) => (c.id === cloneUpdated.id ? newer(c, cloneUpdated) : c))
            .filter((c) => c.status !== "DELETED"),
        );
      }),
    );
    return () => {
      for (const stop of stops) stop();
    };
  }, [api, ids, remember]);

  return { clones, total, hasMore, error, reload: () => load(), more: () => load(cursor) };
}

type LiveClones = ReturnType<typeof useLiveClones>;
const ClonesContext = createContext<LiveClones | null>(null);

/** Keeps the clone list (and the "clone ready" notification) alive on every screen of the shell. */
export function ClonesProvider({ children }: { children: ReactNode }) {
  const value = useLiveClones(50);
  return <ClonesContext.Provider value={value}>{children}</ClonesContext.Provider>;
}

export function useClones(): LiveClones {
  const value = useContext(ClonesContext);
  if (!value) throw new Error("useClones outside ClonesProvider");
  return value;
}
