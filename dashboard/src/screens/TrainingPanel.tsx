import { useEffect, useState } from "react";
import { actionKey } from "../api/client";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { ErrorBox, ProgressBar } from "../components/common";
import { LossChart } from "../components/LossChart";
import { modelDescription } from "../components/labels";
import { useToast } from "../components/Toasts";
import {
  BaseModelsDocument,
  CancelTrainingDocument,
  DatasetLanguageFitDocument,
  RequestTrainingDocument,
} from "../gql/graphql";
import { type MessageKey, useI18n } from "../i18n";
import type { Clone, Run } from "../live";
import { describeError, useApi } from "../session";
import { BaseModelFitList, type BaseModelOption, preferredBaseModel, UntrainableNote } from "./BaseModelFit";
import { CorrectionsNote } from "./CorrectionsPanel";
import { NextStep } from "./NextStep";

type Preset = "quick" | "balanced" | "thorough";
type Length = "epochs" | "maxSteps";
interface Knobs {
  length: Length;
  epochs: string;
  maxSteps: string;
  rank: string;
  learningRate: string;
  alpha: string;
  batchSize: string;
  gradAccum: string;
  dropout: string;
  cutoff: string;
  checkpointEvery: string;
  seed: string;
}

/** What each preset means for the trainer; the advanced panel starts from the chosen one. */
export const presets: Record<
  Preset,
  { maxSteps?: number; epochs?: number; rank: number; learningRate: number }
> = {
  quick: { maxSteps: 30, rank: 8, learningRate: 3e-4 },
  balanced: { epochs: 2, rank: 16, learningRate: 2e-4 },
  thorough: { epochs: 4, rank: 32, learningRate: 1e-4 },
};

/** Per base model, the owner's languages it does not serve (decided by the platform). */
type LanguageFit = { unserved: Map<string, string[]> };

function knobsOf(preset: Preset): Knobs {
  const p = presets[preset];
  return {
    length: p.maxSteps ? "maxSteps" : "epochs",
    epochs: p.epochs ? String(p.epochs) : "1",
    maxSteps: p.maxSteps ? String(p.maxSteps) : "100",
    rank: String(p.rank),
    learningRate: String(p.learningRate),
    alpha: "",
    batchSize: "",
    gradAccum: "",
    dropout: "",
    cutoff: "",
    checkpointEvery: "",
    seed: "",
  };
}

/** The hyperparameters to send: the length, then every advanced value that was filled in. */
function hyperparametersOf(knobs: Knobs): Record<string, number> {
  const out: Record<string, number> = {};
  const put = (name: string, value: string) => {
    if (value.trim() !== "") out[name] = Number(value);
  };
  if (knobs.length === "epochs") put("epochs", knobs.epochs);
  else put("maxSteps", knobs.maxSteps);
  for (const name of [
    "rank",
    "learningRate",
    "alpha",
    "batchSize",
    "gradAccum",
    "dropout",
    "cutoff",
    "checkpointEvery",
    "seed",
  ] as const)
    put(name, knobs[name]);
  return out;
}

const ACTIVE = new Set(["QUEUED", "RUNNING"]);

export function TrainingPanel({ clone, accept }: { clone: Clone; accept(next: Clone): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useApi();
  const [preset, setPreset] = useState<Preset>("balanced");
  const [knobs, setKnobs] = useState<Knobs>(() => knobsOf("balanced"));
  const [baseModel, setBaseModel] = useState("");
  /** The adapter version to continue from ("" : a fresh LoRA). */
  const [continueFrom, setContinueFrom] = useState("");
  const adapters = clone.trainingRuns.filter((r) => r.status === "COMPLETED" && r.adapterVersion != null);
  const [baseModels, setBaseModels] = useState<BaseModelOption[]>([]);
  useEffect(() => {
    let live = true;
    api.request(BaseModelsDocument, {}).then(
      ({ baseModels: models }) => {
        if (!live) return;
        setBaseModels(models);
        setBaseModel((current) => current || preferredBaseModel(models));
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [api]);
  const languageFit = useLanguageFit(clone.id, clone.dataset?.version);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = clone.trainingRuns.at(-1);
  const active = run && ACTIVE.has(run.status);
  const canTrain = Boolean(clone.dataset) && !active && clone.status !== "DATASET_BUILDING";

  const field = (name: keyof Omit<Knobs, "length">, step = "any") => (
    <label className="field" key={name}>
      <span>{t(`training.${name}` as MessageKey)}</span>
      <input
        type="number"
        name={name}
        step={step}
        value={knobs[name]}
        onChange={(e) => setKnobs({ ...knobs, [name]: e.target.value })}
      />
    </label>
  );

  return (
    <>
      {run && <RunView run={run} />}
      {run?.status === "COMPLETED" && <NextStep clone={clone} />}
      <section className="card" aria-labelledby="training-title">
        <h2 id="training-title">{t("training.title")}</h2>
        {!clone.dataset && <p className="empty">{t("training.needDataset")}</p>}
        {clone.corrections.total > 0 && <CorrectionsNote clone={clone} accept={accept} />}
        <form
          onSubmit={async (event) => {
            event.preventDefault();
            setBusy(true);
            setError(null);
            // Asked on a click (a user gesture), so the "clone ready" notification can reach the desktop.
            if ("Notification" in window && Notification.permission === "default")
              void Notification.requestPermission().catch(() => {});
            try {
              const { requestTraining } = await api.request(RequestTrainingDocument, {
                input: {
                  cloneId: clone.id,
                  baseModel: baseModel.trim() || undefined,
                  hyperparameters: hyperparametersOf(knobs),
                  continueFrom: continueFrom ? Number(continueFrom) : undefined,
                },
                idempotencyKey: actionKey(),
              });
              accept(requestTraining);
            } catch (e) {
              setError(e);
            } finally {
              setBusy(false);
            }
          }}
        >
          <fieldset className="presets">
            <legend>{t("training.preset")}</legend>
            {(Object.keys(presets) as Preset[]).map((name) => (
              <label key={name} className={preset === name ? "preset selected" : "preset"}>
                <input
                  type="radio"
                  name="preset"
                  value={name}
                  checked={preset === name}
                  onChange={() => {
                    setPreset(name);
                    setKnobs(knobsOf(name));
                  }}
                />
                <strong>{t(`training.preset.${name}` as MessageKey)}</strong>
                <small>{t(`training.preset.${name}Hint` as MessageKey)}</small>
              </label>
            ))}
          </fieldset>
          {adapters.length > 0 && (
            <label className="field">
              <span>{t("training.continueFrom")}</span>
              <select
                name="continueFrom"
                value={continueFrom}
                aria-describedby="continue-hint"
                onChange={(e) => {
                  setContinueFrom(e.target.value);
                  // A continued run trains on its parent's base model.
                  const parent = adapters.find((r) => String(r.adapterVersion) === e.target.value);
                  if (parent) setBaseModel(parent.baseModel);
                }}
              >
                <option value="">{t("training.continueFresh")}</option>
                {[...adapters].reverse().map((r) => (
                  <option key={r.id} value={String(r.adapterVersion)}>
                    {t("training.continueVersion", { version: r.adapterVersion ?? "" })}
                  </option>
                ))}
              </select>
              <small id="continue-hint">{t("training.continueHint")}</small>
            </label>
          )}
          <label className="field">
            <span>{t("training.baseModel")}</span>
            <input
              name="baseModel"
              list="base-models"
              value={baseModel}
              readOnly={continueFrom !== ""}
              onChange={(e) => setBaseModel(e.target.value)}
              aria-describedby="base-hint"
            />
            <datalist id="base-models">
              {baseModels.map((m) => (
                <option key={m.name} value={m.name} label={modelDescription(i18n, m.name, m.description)} />
              ))}
            </datalist>
            {baseModels.some((m) => m.name === baseModel && !m.availableLocally) && (
              <small role="note">{t("training.baseModelRemote")}</small>
            )}
            {baseModels.some((m) => m.name === baseModel && m.testOnly) && (
              <small role="note">{t("training.baseModelTestOnly")}</small>
            )}
            <LanguageWarning
              model={baseModels.find((m) => m.name === baseModel)}
              unserved={languageFit?.unserved.get(baseModel) ?? []}
            />
            <UntrainableNote model={baseModels.find((m) => m.name === baseModel)} />
            <small id="base-hint">
              {t("model.hint", { name: baseModels.find((m) => m.isDefault)?.name ?? "" })}
            </small>
            <BaseModelFitList
              models={baseModels}
              selected={baseModel}
              disabled={continueFrom !== ""}
              onPick={setBaseModel}
            />
          </label>
          <details data-testid="advanced">
            <summary>{t("training.advanced")}</summary>
            <fieldset className="inline">
              <legend>{t("training.length")}</legend>
              {(["epochs", "maxSteps"] as const).map((length) => (
                <label key={length} className="check">
                  <input
                    type="radio"
                    name="length"
                    checked={knobs.length === length}
                    onChange={() => setKnobs({ ...knobs, length })}
                  />
                  {t(length === "epochs" ? "training.byEpochs" : "training.bySteps")}
                </label>
              ))}
            </fieldset>
            <div className="grid">
              {knobs.length === "epochs" ? field("epochs") : field("maxSteps", "1")}
              {field("rank", "1")}
              {field("learningRate")}
              {field("alpha")}
              {field("batchSize", "1")}
              {field("gradAccum", "1")}
              {field("dropout")}
              {field("cutoff", "1")}
              {field("checkpointEvery", "1")}
              {field("seed", "1")}
            </div>
          </details>
          {error != null && <ErrorBox error={error} />}
          <div className="actions">
            <button type="submit" className="primary" disabled={!canTrain || busy}>
              {busy ? t("training.starting") : t("training.start")}
            </button>
          </div>
        </form>
        {clone.trainingRuns.length > 1 && <RunList runs={clone.trainingRuns} />}
      </section>
    </>
  );
}

/** The newest dataset's language fit, fetched again when the dataset changes; null until known or without one. */
function useLanguageFit(cloneId: string, datasetVersion: number | undefined): LanguageFit | null {
  const api = useApi();
  const [fit, setFit] = useState<LanguageFit | null>(null);
  useEffect(() => {
    setFit(null);
    if (datasetVersion === undefined) return;
    let live = true;
    api.request(DatasetLanguageFitDocument, { id: cloneId }).then(
      ({ clone }) => {
        const found = clone?.dataset?.languageFit;
        if (!live || !found) return;
        setFit({ unserved: new Map(found.baseModels.map((m) => [m.name, m.unservedLanguages])) });
      },
      // The warning is advice: without it training still works.
      () => {},
    );
    return () => {
      live = false;
    };
  }, [api, cloneId, datasetVersion]);
  return fit;
}

/** Next to the base model: it does not serve the language(s) the owner writes in. */
function LanguageWarning({ model, unserved }: { model: BaseModelOption | undefined; unserved: string[] }) {
  const { t, language } = useI18n();
  if (!model || unserved.length === 0) return null;
  const names = new Intl.DisplayNames([language === "ru" ? "ru-RU" : "en-GB"], { type: "language" });
  const name = (code: string) =>
    code === "other" ? t("training.baseModelLanguageOther") : (names.of(code) ?? code);
  return (
    <small role="note" className="warning" data-testid="base-model-language-warning">
      {t("training.baseModelLanguage", {
        model: model.name,
        served: model.languages.map(name).join(", "),
        owner: unserved.map(name).join(", "),
      })}
    </small>
  );
}

function RunView({ run }: { run: Run }) {
  const { t, number, duration, maybe } = useI18n();
  const api = useApi();
  const notify = useToast();
  const [confirm, setConfirm] = useState(false);
  const progress = run.progress;
  const total = progress?.totalSteps ?? 0;
  return (
    <section className="card" aria-labelledby="run-title" data-testid="run" data-run-status={run.status}>
      <div className="row between wrap">
        <h2 id="run-title">{t("training.current")}</h2>
        <span
          className={`badge badge-${run.status === "FAILED" ? "bad" : run.status === "COMPLETED" ? "good" : "busy"}`}
        >
          {maybe(`training.runStatus.${run.status}`, run.status)}
        </span>
      </div>
      {run.status === "QUEUED" && <p className="muted">{t("training.waiting")}</p>}
      {progress && (
        <div aria-live="polite">
          <p data-testid="run-step" data-step={progress.step}>
            {t("training.step", { step: progress.step, total })}
          </p>
          <ProgressBar
            value={progress.step}
            max={total}
            label={t("training.step", { step: progress.step, total })}
          />
          <dl className="facts">
            <dt>{t("training.loss")}</dt>
            <dd>{progress.loss == null ? t("common.none") : number(progress.loss, 4)}</dd>
            <dt>{t("training.eta")}</dt>
            <dd data-testid="run-eta">
              {run.status === "RUNNING" && progress.etaSeconds != null
                ? duration(progress.etaSeconds)
                : t("common.none")}
            </dd>
            <dt>{t("training.speed")}</dt>
            <dd>
              {progress.tokensPerSecond == null
                ? t("common.none")
                : t("training.tokensPerSecond", { value: number(progress.tokensPerSecond, 0) })}
            </dd>
            <dt>{t("training.attempt")}</dt>
            <dd>{run.attempt}</dd>
            <dt>{t("training.worker")}</dt>
            <dd>{run.worker ?? t("common.none")}</dd>
            <dt>{t("training.baseModel")}</dt>
            <dd>{run.baseModel}</dd>
          </dl>
        </div>
      )}
      <LossChart points={run.lossHistory} totalSteps={total || undefined} />
      {run.error && (
        <div className="error-box" role="alert">
          {t("training.error", { reason: run.error })}
        </div>
      )}
      {ACTIVE.has(run.status) && (
        <button type="button" className="danger" onClick={() => setConfirm(true)}>
          {t("training.cancel")}
        </button>
      )}
      <ConfirmDialog
        open={confirm}
        danger
        message={t("training.cancelConfirm")}
        onCancel={() => setConfirm(false)}
        onConfirm={async () => {
          setConfirm(false);
          try {
            await api.request(CancelTrainingDocument, {
              id: run.id,
              reason: t("training.cancelReason"),
              idempotencyKey: actionKey(),
            });
          } catch (e) {
            notify(describeError(t, e), "error");
          }
        }}
      />
    </section>
  );
}

function RunList({ runs }: { runs: Run[] }) {
  const { t, dateTime, maybe } = useI18n();
  return (
    <>
      <h3>{t("training.runs")}</h3>
      <div className="table-wrap">
        <table>
          <tbody>
            {[...runs].reverse().map((run) => (
              <tr key={run.id}>
                <td>{dateTime(run.requestedAt)}</td>
                <td>{maybe(`training.runStatus.${run.status}`, run.status)}</td>
                <td>{run.baseModel}</td>
                <td>{run.progress ? `${run.progress.step}/${run.progress.totalSteps}` : t("common.none")}</td>
                <td>{run.error ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
