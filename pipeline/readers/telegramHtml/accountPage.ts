import type { ExportRecord } from "../../model/conversation.js";
import type { ExportFile } from "../../model/exportSource.js";
import { classesOf, type HtmlHandler, streamHtml, TextCapture } from "../html/index.js";

/** The front page of a full tdesktop HTML export, which lists the account's own name. */
export const ACCOUNT_PAGE = "export_results.html";

/**
 * Reads `div.personal_info` of `export_results.html`: rows of `div.label` ("First name", "Last name") and
 * `div.value`. tdesktop writes an author as `first + " " + last`, so the account's name is the key its own
 * messages carry in the HTML (`name:<first last>`): the export names its owner after all, by name, not id.
 */
class PersonalInfoParser implements HtmlHandler {
  readonly rows = new Map<string, string>();
  private depth = 0;
  private infoDepth: number | null = null;
  private field: { kind: "label" | "value"; depth: number; text: TextCapture } | null = null;
  private label: string | null = null;

  onopentag(_name: string, attributes: Record<string, string>): void {
    this.depth++;
    const classes = classesOf(attributes);
    if (classes.has("personal_info")) this.infoDepth = this.depth;
    else if (this.infoDepth !== null && (classes.has("label") || classes.has("value")))
      this.field = {
        kind: classes.has("label") ? "label" : "value",
        depth: this.depth,
        text: new TextCapture(),
      };
  }

  ontext(text: string): void {
    this.field?.text.text(text);
  }

  onclosetag(): void {
    const field = this.field;
    if (field && field.depth === this.depth) {
      const value = field.text.value("trim");
      if (field.kind === "label") this.label = value;
      else if (this.label !== null) this.rows.set(this.label, value);
      this.field = null;
    }
    if (this.infoDepth === this.depth) this.infoDepth = null;
    this.depth--;
  }
}

export async function* readAccountPage(file: ExportFile, signal?: AbortSignal): AsyncGenerator<ExportRecord> {
  const parser = new PersonalInfoParser();
  for await (const _ of streamHtml(file, parser, () => [], { charset: "utf-8", signal })) {
    // Nothing is yielded page by page; the rows are read at the end.
  }
  const name = [parser.rows.get("First name"), parser.rows.get("Last name")]
    .filter((part): part is string => Boolean(part))
    .join(" ")
    .trim();
  if (name !== "") yield { type: "account", owner: { id: `name:${name}`, name } };
}
