import { useI18n } from "../i18n";

export interface PersonaDraft {
  displayName: string;
  language: string;
  systemPrompt: string;
}

const PROMPT_MAX = 8000;

/** Display name, language and the system prompt with guidance; used by "create" and "settings". */
export function PersonaFields({
  value,
  onChange,
}: {
  value: PersonaDraft;
  onChange(next: PersonaDraft): void;
}) {
  const { t } = useI18n();
  return (
    <>
      <label className="field">
        <span>{t("create.displayName")}</span>
        <input
          name="displayName"
          required
          maxLength={80}
          value={value.displayName}
          onChange={(e) => onChange({ ...value, displayName: e.target.value })}
          aria-describedby="displayName-hint"
        />
        <small id="displayName-hint">{t("create.displayNameHint")}</small>
      </label>
      <label className="field">
        <span>{t("create.language")}</span>
        <select
          name="language"
          value={value.language}
          onChange={(e) => onChange({ ...value, language: e.target.value })}
        >
          {(["ru", "en", "uk", "de"] as const).map((code) => (
            <option key={code} value={code}>
              {t(`personaLanguage.${code}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t("create.prompt")}</span>
        <textarea
          name="systemPrompt"
          required
          rows={6}
          maxLength={PROMPT_MAX}
          value={value.systemPrompt}
          onChange={(e) => onChange({ ...value, systemPrompt: e.target.value })}
          aria-describedby="prompt-hint"
        />
        <small id="prompt-hint">
          {t("create.promptHint")} {t("create.chars", { count: value.systemPrompt.length, max: PROMPT_MAX })}
        </small>
      </label>
      <button
        type="button"
        className="link"
        onClick={() =>
          onChange({
            ...value,
            systemPrompt: t("create.promptSample", {
              name: value.displayName.trim() || t("create.promptSampleName"),
            }),
          })
        }
      >
        {t("create.promptExample")}
      </button>
    </>
  );
}
