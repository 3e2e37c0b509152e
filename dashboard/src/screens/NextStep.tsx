import { useI18n } from "../i18n";
import type { Clone } from "../live";
import { Link } from "../router";

/** After a finished run: what to do next — talk to the trained version, then publish it. */
export function NextStep({ clone }: { clone: Clone }) {
  const { t } = useI18n();
  const published = clone.publishedVersions.length > 0;
  return (
    <section className="card next-step" aria-labelledby="next-step-title" data-testid="next-step">
      <h2 id="next-step-title">{t("next.title")}</h2>
      <p>{t(published ? "next.leadPublished" : "next.lead")}</p>
      <div className="actions">
        <Link href={`/clones/${clone.id}/preview`} className="button primary">
          {t("next.try")}
        </Link>
        <Link href={`/clones/${clone.id}/publish`} className="button">
          {t("next.publish")}
        </Link>
      </div>
    </section>
  );
}
