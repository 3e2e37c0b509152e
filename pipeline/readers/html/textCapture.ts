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

/** The captures of one message (or page header), by field: created on first use, taken once read. */
export class TextCaptures<Field extends string> {
  private captures = new Map<Field, TextCapture>();

  /** The field's capture, created when it is first written. */
  of(field: Field): TextCapture {
    let capture = this.captures.get(field);
    if (!capture) {
      capture = new TextCapture();
      this.captures.set(field, capture);
    }
    return capture;
  }

  /** The field's capture, removed: the next text of that field starts afresh. */
  take(field: Field): TextCapture {
    const capture = this.of(field);
    this.captures.delete(field);
    return capture;
  }

  get(field: Field): TextCapture | undefined {
    return this.captures.get(field);
  }

  has(field: Field): boolean {
    return this.captures.has(field);
  }

  clear(): void {
    this.captures = new Map();
  }
}
