import { useState } from "react";
import { useI18n } from "../i18n";
import { describeError } from "../session";

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="error-box" role="alert">
      <strong>{t("error.title")}:</strong> {describeError(t, error)}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t("common.retry")}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="muted" aria-busy="true">
      {t("common.loading")}
    </p>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const { maybe } = useI18n();
  const tone =
    status.endsWith("FAILED") || status === "DELETED"
      ? "bad"
      : status === "TRAINED" || status === "PUBLISHED" || status === "DATASET_READY"
        ? "good"
        : status === "TRAINING" || status.endsWith("BUILDING") || status.endsWith("QUEUED")
          ? "busy"
          : "neutral";
  return (
    <span className={`badge badge-${tone}`} data-status={status}>
      {maybe(`status.${status}`, status)}
    </span>
  );
}

export function CopyButton({ text, label }: { text: string; label?: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
        } catch {
          // Clipboard denied (insecure origin): select-and-copy by hand still works on the shown text.
          return;
        }
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {copied ? t("common.copied") : (label ?? t("common.copy"))}
    </button>
  );
}

export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  const share = max > 0 ? Math.min(1, value / max) : 0;
  return (
    <div className="progress">
      <progress value={share * 100} max={100} aria-label={label} />
      <span className="progress-text">{Math.round(share * 100)}%</span>
    </div>
  );
}
