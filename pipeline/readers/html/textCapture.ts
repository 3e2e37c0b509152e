/**
 * Text collected from an element: text nodes and line breaks (`<br>`). Exporters that indent their markup
 * put a newline and spaces around block tags; `layout: "indented"` removes those (a message's own line
 * breaks are `<br>` in such exports, so its own spaces stay), `layout: "trim"` collapses white space the way
 * a browser shows it.
 */
export class TextCapture {
  private readonly runs: string[] = [""];

  text(value: string): void {
    this.runs[this.runs.length - 1] += value;
  }

  lineBreak(): void {
    this.runs.push("");
  }

  value(layout: "indented" | "trim"): string {
    if (layout === "trim")
      return this.runs
        .map((r) => r.replace(/\s+/g, " "))
        .join("\n")
        .trim();
    // tdesktop writes `<div class="text">` + "\n" + text + "\n" + indentation + `</div>`.
    const runs = [...this.runs];
    runs[0] = (runs[0] ?? "").replace(/^\n/, "");
    runs[runs.length - 1] = (runs.at(-1) ?? "").replace(/\n *$/, "");
    return runs.map((run) => run.replace(/\n */g, "")).join("\n");
  }

  get empty(): boolean {
    return this.runs.length === 1 && this.runs[0] === "";
  }
}
