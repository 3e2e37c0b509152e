import { useCallback, useEffect, useState } from "react";
import { ErrorBox } from "../components/common";
import {
  AnswerBlindTestTrialDocument,
  type AnswerBlindTestTrialMutation,
  type BlindTestChoice,
  DrawBlindTestTrialDocument,
  type DrawBlindTestTrialMutation,
} from "../gql/graphql";
import { useI18n } from "../i18n";
import { useApi } from "../session";

/**
 * The blind test ("Recognise yourself?"): a held-out message of the version's validation split, the owner's
 * real reply and the clone's in random order; the owner picks theirs or says they cannot tell. Which one is
 * real comes back only with the answer; the running result shows in the versions table.
 */

type Trial = DrawBlindTestTrialMutation["drawBlindTestTrial"];
type Answer = AnswerBlindTestTrialMutation["answerBlindTestTrial"];

const text = { whiteSpace: "pre-wrap", overflowWrap: "anywhere" } as const;

export function BlindTestPanel(props: { cloneId: string; adapterVersion: number; onClose(): void }) {
  const { cloneId, adapterVersion, onClose } = props;
  const { t } = useI18n();
  const api = useApi();
  const [trial, setTrial] = useState<Trial | null>(null);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const draw = useCallback(async () => {
    setBusy(true);
    setError(null);
    setAnswer(null);
    setTrial(null);
    try {
      const { drawBlindTestTrial } = await api.request(DrawBlindTestTrialDocument, {
        input: { cloneId, adapterVersion },
      });
      setTrial(drawBlindTestTrial);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }, [api, cloneId, adapterVersion]);
  useEffect(() => {
    void draw();
  }, [draw]);

  const choose = async (choice: BlindTestChoice) => {
    if (!trial) return;
    setBusy(true);
    setError(null);
    try {
      const { answerBlindTestTrial } = await api.request(AnswerBlindTestTrialDocument, {
        input: { cloneId, trialId: trial.id, choice },
      });
      setAnswer(answerBlindTestTrial);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const verdict = (a: Answer) =>
    t(a.outcome === "REAL" ? "blind.right" : a.outcome === "CLONE" ? "blind.wrong" : "blind.unsure", {
      id: a.realCandidate,
    });

  return (
    <section className="card" aria-labelledby="blind-title" data-testid="blind-test">
      <h3 id="blind-title">{t("blind.title", { version: adapterVersion })}</h3>
      <p className="muted small">{t("blind.lead")}</p>
      {error != null && <ErrorBox error={error} />}
      {busy && !trial && <p className="muted">{t("blind.drawing")}</p>}
      {trial && (
        <>
          <h4>{t("blind.context")}</h4>
          <ul className="stack" data-testid="blind-context">
            {trial.context.map((m, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the context is fixed for the trial
              <li key={i} style={text}>
                <strong>{m.role === "USER" ? t("blind.them") : t("blind.you")}:</strong>{" "}
                <span data-own-words>{m.content}</span>
              </li>
            ))}
          </ul>
          <div className="grid-2">
            {trial.candidates.map((c) => (
              <figure key={c.id} data-testid={`blind-candidate-${c.id}`} className="card">
                <figcaption>{t("blind.candidate", { id: c.id })}</figcaption>
                <p style={text} data-own-words>
                  {c.text}
                </p>
                {answer?.realCandidate === c.id && <span className="good small">{t("blind.you")}</span>}
              </figure>
            ))}
          </div>
          {answer ? (
            <p data-testid="blind-verdict">{verdict(answer)}</p>
          ) : (
            <div className="actions">
              {trial.candidates.map((c) => (
                <button key={c.id} type="button" disabled={busy} onClick={() => choose(c.id)}>
                  {t("blind.pick", { id: c.id })}
                </button>
              ))}
              <button type="button" disabled={busy} onClick={() => choose("CANT_TELL")}>
                {t("blind.cantTell")}
              </button>
            </div>
          )}
        </>
      )}
      <p className="muted small">{t("blind.halfHint")}</p>
      <div className="actions">
        {(answer || error != null) && (
          <button type="button" disabled={busy} onClick={() => void draw()}>
            {t("blind.next")}
          </button>
        )}
        <button type="button" onClick={onClose}>
          {t("blind.close")}
        </button>
      </div>
    </section>
  );
}
