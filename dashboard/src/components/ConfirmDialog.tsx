import { type ReactNode, useEffect, useRef, useState } from "react";
import { useI18n } from "../i18n";

/** A modal confirmation (native <dialog>: focus trap and Escape for free); `typed` asks to type a word. */
export function ConfirmDialog(props: {
  open: boolean;
  message: ReactNode;
  typed?: { label: string; expected: string };
  danger?: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState("");
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) {
      setText("");
      dialog.showModal();
    } else if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  const ready = !props.typed || text.trim() === props.typed.expected.trim();
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="confirm-title"
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          if (ready) props.onConfirm();
        }}
      >
        <h2 id="confirm-title">{t("confirm.title")}</h2>
        <p>{props.message}</p>
        {props.typed && (
          <label className="field">
            <span>{props.typed.label}</span>
            <input value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
          </label>
        )}
        <div className="actions">
          <button type="button" onClick={props.onCancel}>
            {t("common.cancel")}
          </button>
          <button type="submit" className={props.danger ? "danger" : "primary"} disabled={!ready}>
            {t("confirm.ok")}
          </button>
        </div>
      </form>
    </dialog>
  );
}
