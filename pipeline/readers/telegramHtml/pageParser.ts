import { classesOf, type HtmlHandler, TextCapture, TextCaptures } from "../html/index.js";
import type { RawHtmlMedia, RawHtmlMessage } from "./rawMessage.js";

type Field =
  | "header"
  | "from"
  | "forwardedFrom"
  | "text"
  | "service"
  | "mediaTitle"
  | "mediaDescription"
  | "ignore";

interface Open {
  name: string;
  classes: Set<string>;
  field: Field | null;
  /** Closing this element ends the message (its `div.message`). */
  endsMessage?: boolean;
  endsMedia?: boolean;
}

const WRAPS = ["photo_wrap", "sticker_wrap", "animated_wrap", "video_file_wrap"];
const MESSAGE_ID = /^message(-?\d+)$/;
const REPLY_ID = /go_to_message(-?\d+)/;

/**
 * A streaming parser of one tdesktop HTML page (`messages.html`, `messages2.html`, …): feeds on
 * htmlparser2's events and queues each finished message. The markup is tdesktop's own
 * (`Telegram/SourceFiles/export/output/export_output_html.cpp`): `div.message.default` with `div.from_name`,
 * `div.pull_right.date.details[title]`, `div.forwarded.body`, `div.reply_to`, `div.media_wrap` and
 * `div.text`; `div.message.service` with `div.body.details`.
 */
export class TelegramHtmlPageParser implements HtmlHandler {
  readonly messages: RawHtmlMessage[] = [];
  /** The chat's name from the page header, once read. */
  chatName: string | null = null;
  private readonly stack: Open[] = [];
  private current: RawHtmlMessage | null = null;
  private readonly captures = new TextCaptures<Field>();
  private inForwarded = false;
  private inMedia = false;

  onopentag(name: string, attributes: Record<string, string>): void {
    const classes = classesOf(attributes);
    const open: Open = { name, classes, field: null };
    if (name === "br") this.capture()?.lineBreak();
    else if (this.current === null) this.outsideMessage(name, classes, attributes, open);
    else this.insideMessage(name, classes, attributes, open);
    this.stack.push(open);
  }

  ontext(text: string): void {
    this.capture()?.text(text);
  }

  onclosetag(name: string): void {
    // htmlparser2 closes every element it opened (implied ends included), so the stack stays balanced.
    let open = this.stack.pop();
    while (open && open.name !== name) open = this.stack.pop();
    if (!open) return;
    if (open.field === "header" && this.chatName === null)
      this.chatName = this.captures.take("header").value("indented").trim() || null;
    if (open.endsMedia) this.inMedia = false;
    if (open.endsMessage) this.finishMessage();
  }

  private capture(): TextCapture | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const field = this.stack[i]?.field;
      if (field) return field === "ignore" ? undefined : this.captures.of(field);
    }
    return undefined;
  }

  private outsideMessage(
    name: string,
    classes: Set<string>,
    attributes: Record<string, string>,
    open: Open,
  ): void {
    if (name === "div" && classes.has("text") && classes.has("bold") && this.withinClass("page_header"))
      open.field = "header";
    const id = MESSAGE_ID.exec(attributes.id ?? "");
    if (name !== "div" || !classes.has("message") || !id) return;
    open.endsMessage = true;
    this.inForwarded = false;
    this.inMedia = false;
    this.captures.clear();
    this.current = {
      id: Number(id[1]),
      service: classes.has("service"),
      joined: classes.has("joined"),
      dateTitle: null,
      fromName: null,
      forwarded: false,
      forwardedName: null,
      replyTo: null,
      text: "",
      serviceText: "",
      media: null,
    };
  }

  private insideMessage(
    name: string,
    classes: Set<string>,
    attributes: Record<string, string>,
    open: Open,
  ): void {
    const message = this.current as RawHtmlMessage;
    if (name === "span" && classes.has("date")) open.field = "ignore";
    else if (classes.has("date") && classes.has("details") && message.dateTitle === null && !this.inForwarded)
      message.dateTitle = attributes.title ?? null;
    else if (classes.has("from_name")) open.field = this.inForwarded ? "forwardedFrom" : "from";
    else if (classes.has("forwarded") && classes.has("body")) {
      message.forwarded = true;
      this.inForwarded = true;
    } else if (classes.has("reply_to")) open.field = "ignore";
    else if (name === "a" && this.withinClass("reply_to")) {
      const id = REPLY_ID.exec(attributes.href ?? "");
      if (id) message.replyTo = Number(id[1]);
    } else if (classes.has("media_wrap")) {
      this.inMedia = true;
      open.endsMedia = true;
    } else if (this.inMedia) this.mediaElement(name, classes, attributes, open);
    else if (message.service && classes.has("body") && classes.has("details")) open.field = "service";
    else if (classes.has("text") && name === "div") open.field = "text";
    else if (classes.has("signature") || classes.has("userpic_wrap")) open.field = "ignore";
  }

  private mediaElement(
    name: string,
    classes: Set<string>,
    attributes: Record<string, string>,
    open: Open,
  ): void {
    const message = this.current as RawHtmlMessage;
    const wrap = WRAPS.find((w) => classes.has(w));
    if (name === "a" && wrap) {
      message.media = { kind: wrap, href: attributes.href ?? null, title: "", description: "" };
      open.field = "ignore";
    } else if (classes.has("media_poll")) {
      message.media = { kind: "media_poll", href: null, title: "", description: "" };
      open.field = "ignore";
    } else if (classes.has("media")) {
      const kind = [...classes].find((c) => c.startsWith("media_")) ?? "media_file";
      message.media = { kind, href: attributes.href ?? null, title: "", description: "" };
    } else if (classes.has("title")) open.field = "mediaTitle";
    else if (classes.has("description")) open.field = "mediaDescription";
    else if (classes.has("status")) open.field = "ignore";
  }

  private withinClass(name: string): boolean {
    return this.stack.some((open) => open.classes.has(name));
  }

  private finishMessage(): void {
    const message = this.current;
    if (!message) return;
    message.fromName = this.nameOf("from");
    message.forwardedName = this.nameOf("forwardedFrom");
    message.text = this.captures.get("text")?.value("indented") ?? "";
    message.serviceText = this.captures.get("service")?.value("indented").trim() ?? "";
    const media: RawHtmlMedia | null = message.media;
    if (media) {
      media.title = this.captures.get("mediaTitle")?.value("indented").trim() ?? "";
      media.description = this.captures.get("mediaDescription")?.value("indented").trim() ?? "";
    }
    this.messages.push(message);
    this.current = null;
  }

  private nameOf(field: Field): string | null {
    const capture = this.captures.get(field);
    return capture ? capture.value("indented").trim() || null : null;
  }
}
