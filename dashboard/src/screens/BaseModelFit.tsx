import type { BaseModelsQuery } from "../gql/graphql";
import { useI18n } from "../i18n";

export type BaseModelOption = BaseModelsQuery["baseModels"][number];

/**
 * The model to preselect: one the platform's trainer can train — the default if it can, else a real model
 * whose weights are here, else any it can train; the default only when none can.
 */
export function preferredBaseModel(models: BaseModelOption[]): string {
  const trainable = models.filter((m) => m.trainableHere);
  const here = trainable.filter((m) => m.availableLocally);
  return (
    trainable.find((m) => m.isDefault && m.availableLocally)?.name ??
    here.find((m) => !m.testOnly)?.name ??
    trainable.find((m) => m.isDefault)?.name ??
    trainable.find((m) => !m.testOnly)?.name ??
    here[0]?.name ??
    models.find((m) => m.isDefault)?.name ??
    ""
  );
}

/** "7,6 млрд параметров" / "7.6B parameters"; empty when unknown. */
function useParameters(): (model: BaseModelOption) => string {
  const { t, language } = useI18n();
  const format = new Intl.NumberFormat(language === "ru" ? "ru-RU" : "en-GB", {
    notation: "compact",
    maximumFractionDigits: 1,
  });
  return (model) =>
    model.parameters == null ? "" : t("model.parameters", { n: format.format(model.parameters) });
}

/** Why a model cannot be trained here, in words; null when it can. */
function useWhyNot(): (model: BaseModelOption) => string | null {
  const { t, bytes } = useI18n();
  const parameters = useParameters();
  return (model) => {
    if (model.trainableHere) return null;
    const need = model.requiredMemoryBytes == null ? "" : bytes(model.requiredMemoryBytes);
    return model.untrainableReason === "NEEDS_GPU"
      ? t("model.needsGpu", { parameters: parameters(model) })
      : t("model.notEnoughMemory", { need });
  };
}

/** Every base model with whether the platform can train it here, and why not; a trainable one is picked by a click. */
export function BaseModelFitList({
  models,
  selected,
  disabled,
  onPick,
}: {
  models: BaseModelOption[];
  selected: string;
  disabled: boolean;
  onPick(name: string): void;
}) {
  const { t } = useI18n();
  const parameters = useParameters();
  const whyNot = useWhyNot();
  if (models.length === 0) return null;
  return (
    <ul className="model-fit small" data-testid="base-model-fit">
      {models.map((m) => {
        const reason = whyNot(m);
        return (
          <li key={m.name} data-model={m.name} data-trainable={String(m.trainableHere)}>
            <button
              type="button"
              className="link"
              disabled={disabled || !m.trainableHere || m.name === selected}
              onClick={() => onPick(m.name)}
            >
              {m.name}
            </button>
            {parameters(m) && <span className="muted"> · {parameters(m)}</span>}
            {m.isDefault && <span className="muted"> · {t("model.default")}</span>}
            {" — "}
            {reason ? (
              <span className="bad">{reason}</span>
            ) : (
              <span className="good">{t("model.trainable")}</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** Under the field: the chosen model cannot be trained here, and why. */
export function UntrainableNote({ model }: { model: BaseModelOption | undefined }) {
  const whyNot = useWhyNot();
  const reason = model ? whyNot(model) : null;
  if (!reason) return null;
  return (
    <small role="note" className="warning" data-testid="base-model-untrainable">
      {reason}
    </small>
  );
}
