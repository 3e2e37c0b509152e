import { classesOf, type HtmlHandler, TextCapture, TextCaptures } from "../html/index.js";

/** One `div.message` of a VK archive page, as written. */
export interface RawVkMessage {
  id: string;
  /** `message__header` text: `Иван Петров, 12 янв 2021 в 14:05:33` or `Вы, …`, with ` (ред.)` when edited. */
  header: string;
  /** The author's profile link (`https://vk.com/id1`), absent for the archive's owner ("Вы"). */
  authorHref: string | null;
  authorLinkText: string | null;
  text: string;
  attachments: string[];
  /** Text in `kludges` outside any attachment (VK's own notices). */
  notice: string;
}

type Field = "crumb" | "header" | "authorLink" | "body" | "attachment" | "notice" | "ignore";

interface Open {
  name: string;
  classes: Set<string>;
  field: Field | null;
  endsMessage?: boolean;
}

/**
 * A streaming parser of one VK archive page (`messages/<peer>/messages0.html`, `messages50.html`, …):
 * `div.ui_crumb` (the last one names the conversation), then per message `div.message[data-id]` with
 * `div.message__header` (an `a` to the author's profile, or "Вы"), the text, and `div.kludges` with
 * `div.attachment > div.attachment__description`.
 */
export class VkPageParser implements HtmlHandler {
  readonly messages: RawVkMessage[] = [];
  conversationName: string | null = null;
  private readonly stack: Open[] = [];
  private current: RawVkMessage | null = null;
  private readonly captures = new TextCaptures<Field>();

  onopentag(name: string, attributes: Record<string, string>): void {
    const classes = classesOf(attributes);
    const open: Open = { name, classes, field: null };
    if (name === "br") this.capture()?.lineBreak();
    else if (this.current === null) this.outside(classes, attributes, open);
    else this.inside(name, classes, attributes, open);
    this.stack.push(open);
  }

  ontext(text: string): void {
    this.capture()?.text(text);
  }

  onclosetag(name: string): void {
    let open = this.stack.pop();
    while (open && open.name !== name) open = this.stack.pop();
    if (!open) return;
    if (open.field === "crumb") {
      const crumb = this.captures.take("crumb").value("trim");
      if (crumb) this.conversationName = crumb;
    } else if (open.field === "attachment" && this.current) {
      this.current.attachments.push(this.captures.take("attachment").value("trim"));
    }
    if (open.endsMessage) this.finish();
  }

  private outside(classes: Set<string>, attributes: Record<string, string>, open: Open): void {
    if (classes.has("ui_crumb")) open.field = "crumb";
    else if (classes.has("message") && attributes["data-id"] !== undefined) {
      open.endsMessage = true;
      this.captures.clear();
      this.current = {
        id: attributes["data-id"],
        header: "",
        authorHref: null,
        authorLinkText: null,
        text: "",
        attachments: [],
        notice: "",
      };
    }
  }

  private inside(name: string, classes: Set<string>, attributes: Record<string, string>, open: Open): void {
    const message = this.current as RawVkMessage;
    const parent = this.stack.at(-1);
    if (classes.has("message__header")) open.field = "header";
    else if (name === "a" && parent?.field === "header") {
      message.authorHref = attributes.href ?? null;
      open.field = "authorLink";
    } else if (classes.has("kludges")) open.field = "notice";
    else if (classes.has("attachment__description")) open.field = "attachment";
    else if (classes.has("attachment__link") || classes.has("attachment")) open.field = "ignore";
    else if (parent?.endsMessage && name === "div") open.field = "body";
  }

  private capture(): TextCapture | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const field = this.stack[i]?.field;
      if (field === "authorLink") {
        // The link's text is both the author's name and part of the header line.
        this.captures.of("header");
        return this.captures.of("authorLink");
      }
      if (field) return field === "ignore" ? undefined : this.captures.of(field);
    }
    return undefined;
  }

  private finish(): void {
    const message = this.current;
    if (!message) return;
    const value = (field: Field) => this.captures.get(field)?.value("trim") ?? "";
    message.authorLinkText = this.captures.has("authorLink") ? value("authorLink") : null;
    message.header = value("header");
    message.text = value("body");
    message.notice = value("notice");
    this.messages.push(message);
    this.current = null;
  }
}
