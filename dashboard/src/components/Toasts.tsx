import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { useI18n } from "../i18n";
import { usePath } from "../router";

type Tone = "info" | "success" | "error";
interface Toast {
  id: number;
  tone: Tone;
  text: string;
  /** The screen it was raised on. */
  path: string;
}
type Notify = (text: string, tone?: Tone) => void;

const ToastContext = createContext<Notify>(() => {});

/**
 * In-app notifications, announced to screen readers (role=status / alert). A notice belongs to the screen it
 * was raised on: changing screens (a tab, a page) dismisses it, so it never covers what the person went to
 * see; errors stay their time.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const path = usePath();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const shownOn = useRef(path);
  useEffect(() => {
    if (shownOn.current === path) return;
    shownOn.current = path;
    setToasts((all) => all.filter((x) => x.tone === "error" || x.path === path));
  }, [path]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((x) => x.id !== id)), []);
  const notify = useCallback<Notify>(
    (text, tone = "info") => {
      const id = next.current++;
      setToasts((all) => [...all.slice(-3), { id, tone, text, path: window.location.pathname }]);
      setTimeout(() => dismiss(id), tone === "error" ? 10_000 : 6_000);
    },
    [dismiss],
  );
  const value = useMemo(() => notify, [notify]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts">
        {toasts.map((toast) => (
          <div
            key={toast.id}
            className={`toast toast-${toast.tone}`}
            role={toast.tone === "error" ? "alert" : "status"}
          >
            <span>{toast.text}</span>
            <button
              type="button"
              className="link"
              aria-label={t("common.close")}
              onClick={() => dismiss(toast.id)}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): Notify {
  return useContext(ToastContext);
}
