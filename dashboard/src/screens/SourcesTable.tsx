import { formatName, skipReason } from "../components/labels";
import { useI18n } from "../i18n";
import type { Clone } from "../live";

type Source = Clone["sources"][number];
type Inspection = NonNullable<Source["inspection"]>;

const SHOWN_CHATS = 3;

/** The chats an upload holds, by name (a WhatsApp group by its own name), with the file it came in. */
function ChatNames({ source }: { source: Source }) {
  const { t } = useI18n();
  const chats = source.inspection?.chats ?? [];
  const named = chats.map((c) => c.name).filter((name): name is string => Boolean(name));
  const unnamed = chats.length - named.length;
  return (
    <>
      {named.length > 0 && <span data-own-words>{named.slice(0, SHOWN_CHATS).join(", ")}</span>}
      {named.length === 0 && unnamed > 0 && t("review.chatUnnamed")}
      {named.length > SHOWN_CHATS && ` ${t("review.moreChats", { count: named.length - SHOWN_CHATS })}`}
      <br />
      <span className="muted small">{t("review.fileName", { name: source.fileName })}</span>
    </>
  );
}

/** How many inputs were skipped and why, in the reader's language, with where (the upload's own names). */
function Skipped({ inspection }: { inspection: Inspection }) {
  const i18n = useI18n();
  const reasons = inspection.skippedReasons ?? [];
  return (
    <td data-testid="source-skipped">
      {i18n.number(inspection.skipped, 0)}
      {reasons.length > 0 && (
        <ul className="small plain" aria-label={i18n.t("review.skippedWhy")}>
          {reasons.map((r) => (
            <li key={r.reason} data-skip={r.reason}>
              {skipReason(i18n, r.reason, undefined, r.reason)}
              {r.count > 1 && ` (${i18n.number(r.count, 0)})`}
              {r.where.length > 0 && (
                <>
                  {": "}
                  <span className="mono" data-own-words>
                    {r.where.join(", ")}
                  </span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </td>
  );
}

/** The uploads: their chats, formats, messages, skips (explained), period and size. */
export function SourcesTable({ sources }: { sources: Clone["sources"] }) {
  const i18n = useI18n();
  const { t, dateTime, bytes, number } = i18n;
  return (
    <div className="table-wrap">
      <table data-testid="source-review">
        <thead>
          <tr>
            <th scope="col">{t("review.chat")}</th>
            <th scope="col">{t("review.format")}</th>
            <th scope="col">{t("review.messages")}</th>
            <th scope="col">{t("review.skipped")}</th>
            <th scope="col">{t("review.period")}</th>
            <th scope="col">{t("review.size")}</th>
          </tr>
        </thead>
        <tbody>
          {sources.map((source) => {
            const inspection = source.inspection;
            return (
              <tr key={source.id} data-source={source.fileName}>
                <td>
                  <ChatNames source={source} />
                  {source.purged && <span className="muted small"> — {t("review.purged")}</span>}
                </td>
                {!inspection ? (
                  <td colSpan={5} className="muted">
                    {source.purged ? t("common.none") : t("review.inspecting")}
                  </td>
                ) : inspection.error ? (
                  <td colSpan={5} className="field-error">
                    {t("review.unreadable", { reason: inspection.error })}
                  </td>
                ) : (
                  <>
                    <td data-testid="source-format" data-formats={inspection.formats.join(" ")}>
                      {inspection.formats.map((f) => formatName(i18n, f)).join(", ")}
                    </td>
                    <td>{number(inspection.messages, 0)}</td>
                    <Skipped inspection={inspection} />
                    <td>
                      {dateTime(inspection.firstMessageAt)} — {dateTime(inspection.lastMessageAt)}
                    </td>
                    <td>{bytes(source.size)}</td>
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
