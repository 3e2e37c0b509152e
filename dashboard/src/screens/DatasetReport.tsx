import { Fragment, useCallback, useEffect, useState } from "react";
import { ErrorBox, Loading } from "../components/common";
import { codeLabel, skipReason } from "../components/labels";
import { DatasetReportDocument } from "../gql/graphql";
import { type MessageKey, useI18n } from "../i18n";
import { useApi } from "../session";

// The report is the build's stats.json (a JSONObject in the schema): read defensively, so a key renamed or
// missing in a later pipeline shows less rather than breaking the screen.
type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const num = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;
/** The numeric entries of an object, largest first. */
function counts(value: unknown): [string, number][] {
  if (!isObject(value)) return [];
  return Object.entries(value)
    .flatMap(([key, v]): [string, number][] => (num(v) === null ? [] : [[key, v as number]]))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

interface Turn {
  role: string;
  content: string;
}
function turnsOf(sample: Json): Turn[] {
  const messages = sample.messages;
  if (!Array.isArray(messages)) return [];
  return messages.filter(isObject).map((m) => ({
    role: typeof m.role === "string" ? m.role : "user",
    content: typeof m.content === "string" ? m.content : JSON.stringify(m.content ?? ""),
  }));
}

/** The newest dataset's full report and sample dialogues, fetched when the version changes. */
export function DatasetReport({ cloneId, version }: { cloneId: string; version: number }) {
  const { t } = useI18n();
  const api = useApi();
  const [state, setState] = useState<
    { report: Json | null; preview: Json[]; names: Map<string, string> } | undefined
  >(undefined);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      const { clone } = await api.request(DatasetReportDocument, { id: cloneId, previewLimit: 3 });
      const dataset = clone?.dataset;
      const names = new Map<string, string>();
      for (const source of clone?.sources ?? [])
        for (const p of source.inspection?.participants ?? []) if (p.name) names.set(p.id, p.name);
      setState({ report: dataset?.report ?? null, preview: dataset?.preview ?? [], names });
    } catch (e) {
      setError(e);
    }
  }, [api, cloneId]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new dataset version is a new report
  useEffect(() => {
    void load();
  }, [load, version]);

  if (error != null) return <ErrorBox error={error} onRetry={load} />;
  if (state === undefined) return <Loading />;
  const { report, preview, names } = state;
  return (
    <div className="report" data-testid="dataset-report">
      {report && <Identities report={report} names={names} />}
      {report ? <ReportDetails report={report} /> : <p className="muted">{t("dataset.reportGone")}</p>}
      {report && (
        <>
          <h3>{t("dataset.preview")}</h3>
          {preview.length === 0 ? (
            <p className="muted">{t("dataset.previewEmpty")}</p>
          ) : (
            <div className="samples">
              {preview.map((sample, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: report rows have no id and never reorder
                <Dialogue key={i} n={i + 1} turns={turnsOf(sample)} />
              ))}
            </div>
          )}
        </>
      )}
    </div>
  );
}

/** One person across exports: the owner's messages and samples per identity, when there are several. */
function Identities({ report, names }: { report: Json; names: Map<string, string> }) {
  const { t, number } = useI18n();
  const owner = isObject(report.owner) ? report.owner : null;
  const identities = Array.isArray(owner?.identities) ? owner.identities.filter(isObject) : [];
  if (identities.length < 2) return null;
  return (
    <>
      <h3>{t("dataset.identities")}</h3>
      <div className="table-wrap">
        <table className="counts" data-testid="dataset-identities">
          <thead>
            <tr>
              <th scope="col">{t("dataset.identity")}</th>
              <th scope="col" className="num">
                {t("dataset.ownerMessages")}
              </th>
              <th scope="col" className="num">
                {t("dataset.samples")}
              </th>
            </tr>
          </thead>
          <tbody>
            {identities.map((identity) => {
              const id = String(identity.id);
              return (
                <tr key={id}>
                  <td>{names.get(id) ?? id}</td>
                  <td className="num">{number(num(identity.messages) ?? 0, 0)}</td>
                  <td className="num">{number(num(identity.samples) ?? 0, 0)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

function CountTable({
  rows,
  labelPrefix,
  head,
  testId,
}: {
  rows: [string, number][];
  labelPrefix: string;
  head: MessageKey;
  testId: string;
}) {
  const i18n = useI18n();
  const { t, number } = i18n;
  return (
    <div className="table-wrap">
      <table className="counts" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{t(head)}</th>
            <th scope="col" className="num">
              {t("dataset.count")}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([key, value]) => (
            <tr key={key} data-key={key} className={value === 0 ? "zero" : undefined}>
              <td>{labelPrefix === "skip" ? skipReason(i18n, key) : codeLabel(i18n, labelPrefix, key)}</td>
              <td className="num">{number(value, 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ReportDetails({ report }: { report: Json }) {
  const i18n = useI18n();
  const { t, number } = i18n;
  const dropped = counts(report.dropped);
  const droppedSamples = counts(report.droppedSamples);
  const redacted = counts(report.redacted ?? report.redactions);
  const skipped = isObject(report.skippedInputs) ? report.skippedInputs : null;
  const skippedReasons = counts(skipped?.byReason);
  const examples = Array.isArray(skipped?.examples) ? skipped.examples.filter(isObject) : [];
  const chats = Array.isArray(report.chats) ? report.chats.filter(isObject) : [];
  const extra = (
    [
      ["dataset.messagesRead", num(report.messagesRead)],
      ["dataset.truncated", num(report.truncatedMessages)],
      ["dataset.cutSessions", num(report.cutSessions)],
      ["dataset.openers", isObject(report.openers) ? num(report.openers.samples) : null],
      ["dataset.openerMessages", isObject(report.openers) ? num(report.openers.messages) : null],
      // Voice notes, when a speech model transcribed them (stats.json's `speech`).
      ["dataset.voiceOwner", isObject(report.speech) ? num(report.speech.ownerTranscribed) : null],
      ["dataset.voiceContacts", isObject(report.speech) ? num(report.speech.contactsTranscribed) : null],
    ] as const
  ).filter(([, value]) => value !== null);
  return (
    <>
      <h3>{t("dataset.report")}</h3>
      {extra.length > 0 && (
        <dl className="facts report-facts">
          {extra.map(([key, value]) => (
            <Fragment key={key}>
              <dt>{t(key)}</dt>
              <dd>{number(value ?? 0, 0)}</dd>
            </Fragment>
          ))}
        </dl>
      )}

      <h4>{t("dataset.droppedTitle")}</h4>
      {dropped.length === 0 ? (
        <p className="muted">{t("dataset.droppedNone")}</p>
      ) : (
        <CountTable rows={dropped} labelPrefix="drop" head="dataset.reason" testId="drop-reasons" />
      )}
      {droppedSamples.length > 0 && (
        <>
          <h4>{t("dataset.droppedSamples")}</h4>
          <CountTable
            rows={droppedSamples}
            labelPrefix="drop"
            head="dataset.reason"
            testId="dropped-samples"
          />
        </>
      )}

      {redacted.length > 0 && (
        <>
          <h4>{t("dataset.redactions")}</h4>
          <p className="muted small">{t("dataset.redactionsNote")}</p>
          <CountTable rows={redacted} labelPrefix="redaction" head="dataset.kind" testId="redactions" />
        </>
      )}

      {skipped && (num(skipped.total) ?? 0) > 0 && (
        <details className="block">
          <summary>{t("dataset.skippedInputs", { count: number(num(skipped.total) ?? 0, 0) })}</summary>
          {skippedReasons.length > 0 && (
            <CountTable
              rows={skippedReasons}
              labelPrefix="skip"
              head="dataset.reason"
              testId="skipped-inputs"
            />
          )}
          {examples.length > 0 && (
            <ul className="small">
              {examples.map((example, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: report rows have no id and never reorder
                <li key={i} data-skip={String(example.code ?? "")}>
                  <span className="mono" data-own-words>
                    {String(example.where ?? "")}
                  </span>{" "}
                  —{" "}
                  {skipReason(
                    i18n,
                    String(example.code ?? example.reason ?? ""),
                    isObject(example.values) ? example.values : undefined,
                    String(example.reason ?? ""),
                  )}
                </li>
              ))}
            </ul>
          )}
        </details>
      )}

      {chats.length > 0 && (
        <>
          <h4>{t("dataset.chats")}</h4>
          <div className="table-wrap">
            <table className="stack" data-testid="report-chats">
              <thead>
                <tr>
                  <th scope="col">{t("dataset.chat")}</th>
                  <th scope="col">{t("review.chatType")}</th>
                  <th scope="col" className="num">
                    {t("dataset.chatMessages")}
                  </th>
                  <th scope="col" className="num">
                    {t("dataset.chatOwner")}
                  </th>
                  <th scope="col" className="num">
                    {t("dataset.chatSamples")}
                  </th>
                  <th scope="col">{t("dataset.chatSkipped")}</th>
                </tr>
              </thead>
              <tbody>
                {chats.map((chat, i) => {
                  const type = typeof chat.type === "string" ? chat.type : "";
                  const skip = typeof chat.skipped === "string" ? chat.skipped : null;
                  return (
                    // biome-ignore lint/suspicious/noArrayIndexKey: report rows have no id and never reorder
                    <tr key={`${String(chat.id)}-${i}`}>
                      <td data-label={t("dataset.chat")}>
                        {typeof chat.name === "string" && chat.name ? (
                          <span data-own-words>{chat.name}</span>
                        ) : (
                          t("review.chatUnnamed")
                        )}
                      </td>
                      <td data-label={t("review.chatType")}>
                        {type ? codeLabel(i18n, "chatType", type) : t("common.none")}
                      </td>
                      <td className="num" data-label={t("dataset.chatMessages")}>
                        {number(num(chat.messages) ?? 0, 0)}
                      </td>
                      <td className="num" data-label={t("dataset.chatOwner")}>
                        {number(num(chat.ownerMessages) ?? 0, 0)}
                      </td>
                      <td className="num" data-label={t("dataset.chatSamples")}>
                        {number(num(chat.samples) ?? 0, 0)}
                      </td>
                      <td data-label={t("dataset.chatSkipped")}>
                        {skip ? codeLabel(i18n, "drop", skip) : t("common.none")}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}

      <h4>{t("dataset.style")}</h4>
      {isObject(report.styleProfile) ? (
        <StyleProfile profile={report.styleProfile} />
      ) : (
        <p className="muted">{t("dataset.styleEmpty")}</p>
      )}
    </>
  );
}

function StyleProfile({ profile }: { profile: Json }) {
  const { t, number } = useI18n();
  const share = (value: number | null) => (value === null ? t("common.none") : `${number(value * 100, 0)}%`);
  const plain = (value: number | null, digits: number) =>
    value === null ? t("common.none") : number(value, digits);
  const facts: [MessageKey, string][] = [
    ["style.messages", plain(num(profile.messages), 0)],
    ["style.medianLength", plain(num(profile.medianLength), 0)],
    ["style.meanLength", plain(num(profile.meanLength), 1)],
    ["style.emojiPerMessage", plain(num(profile.emojiPerMessage), 2)],
    ["style.emojiShare", share(num(profile.emojiMessageShare))],
    ["style.lowercase", share(num(profile.lowercaseStartShare))],
    ["style.burst", share(num(profile.burstShare))],
    ["style.burstTurns", share(num(profile.burstTurnShare))],
  ];
  return (
    <div data-testid="style-profile">
      <dl className="stats">
        {facts.map(([key, value]) => (
          <div key={key}>
            <dt>{t(key)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <ShareBars title="style.endings" prefix="ending" values={counts(profile.endings)} />
      <ShareBars title="style.languages" prefix="lang" values={counts(profile.languages)} />
    </div>
  );
}

function ShareBars({
  title,
  prefix,
  values,
}: {
  title: MessageKey;
  prefix: string;
  values: [string, number][];
}) {
  const { t, maybe, number } = useI18n();
  if (values.length === 0) return null;
  return (
    <>
      <h5>{t(title)}</h5>
      <div className="bars">
        {values.map(([key, value]) => (
          <div key={key} className="bar-row">
            <span>{maybe(`${prefix}.${key}`, maybe(`${prefix}.other`, key))}</span>
            <span className="bar" style={{ width: `${Math.min(1, Math.max(0, value)) * 100}%` }} />
            <span className="num">{number(value * 100, 0)}%</span>
          </div>
        ))}
      </div>
    </>
  );
}

const SHOWN_TURNS = 7;

function Dialogue({ n, turns }: { n: number; turns: Turn[] }) {
  const { t, maybe } = useI18n();
  const [all, setAll] = useState(false);
  const system = turns.filter((turn) => turn.role === "system");
  const rest = turns.filter((turn) => turn.role !== "system");
  const shown = all ? rest : rest.slice(0, SHOWN_TURNS);
  return (
    <article className="sample dialogue" data-testid="preview-dialogue">
      <h4>{t("dataset.previewSample", { n, count: rest.length })}</h4>
      {system.map((turn, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: report rows have no id and never reorder
        <details key={`s${i}`} className="bubble bubble-system" data-role="system">
          <summary>{t("role.system")}</summary>
          <p data-own-words>{turn.content}</p>
        </details>
      ))}
      {shown.map((turn, i) => (
        <div
          // biome-ignore lint/suspicious/noArrayIndexKey: report rows have no id and never reorder
          key={i}
          className={`bubble bubble-${turn.role === "assistant" ? "assistant" : "user"}`}
          data-role={turn.role}
        >
          <span className="bubble-role">{maybe(`role.${turn.role}`, turn.role)}</span>
          <p data-own-words>{turn.content}</p>
        </div>
      ))}
      {rest.length > SHOWN_TURNS && (
        <button type="button" className="link" onClick={() => setAll(!all)} aria-expanded={all}>
          {all ? t("dataset.showLess") : `${t("dataset.showAll")} (${rest.length})`}
        </button>
      )}
    </article>
  );
}
