/**
 * Writes a chat the way Telegram Desktop's HTML export does (export_output_html.cpp): the same messages a
 * test also writes as tdesktop JSON, so the two readers can be held against each other. Follows tdesktop's
 * indentation (a block tag opens on its own line, indented by depth), its SerializeString escapes, its
 * "joined" rule (same author, same bot, same day, within 900 s), day separators with negative ids, pages of
 * `pageSize` messages and reply links into earlier pages.
 */
type Json = Record<string, unknown>;

export interface HtmlChatOptions {
  name: string;
  /** The page's folder inside the export ("" for a single chat's export, `chats/chat_001` in a full one). */
  folder?: string;
  pageSize?: number;
  /** Minutes east of UTC for the date titles (`UTC+03:00`); null writes the old titles without an offset. */
  utcOffsetMinutes?: number | null;
}

class Context {
  private readonly tags: { name: string; block: boolean }[] = [];
  out = "";

  push(
    name: string,
    attributes: Record<string, string> = {},
    options: { inline?: boolean; empty?: boolean } = {},
  ) {
    const block = !options.inline;
    const inner = Object.keys(attributes)
      .sort()
      .map((key) => ` ${key}="${serialize(attributes[key] ?? "")}"`)
      .join("");
    this.out += `${block ? `\n${this.indent()}` : ""}<${name}${inner}${options.empty ? "/" : ""}>${block ? "\n" : ""}`;
    if (!options.empty) this.tags.push({ name, block });
  }

  div(className: string) {
    this.push("div", { class: className });
  }

  pop() {
    const tag = this.tags.pop();
    if (!tag) throw new Error("pop without push");
    this.out += `${tag.block ? `\n${this.indent()}` : ""}</${tag.name}>${tag.block ? "\n" : ""}`;
  }

  raw(text: string) {
    this.out += text;
  }

  closeAll() {
    while (this.tags.length > 0) this.pop();
  }

  private indent(): string {
    return " ".repeat(this.tags.length);
  }
}

/** tdesktop's SerializeString. */
export function serialize(value: string): string {
  let out = "";
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\n" || ch === "\u2028" || ch === "\u2029") out += "<br>";
    else if (ch === '"') out += "&quot;";
    else if (ch === "&") out += "&amp;";
    else if (ch === "'") out += "&apos;";
    else if (ch === "<") out += "&lt;";
    else if (ch === ">") out += "&gt;";
    else if (code < 32) out += `&#x${code.toString(16).toUpperCase().padStart(2, "0")};`;
    else out += ch;
  }
  return out;
}

const two = (n: number) => String(n).padStart(2, "0");

function local(seconds: number, offset: number | null): Date {
  return new Date((seconds + (offset ?? 0) * 60) * 1000);
}

function dateTitle(seconds: number, offset: number | null): string {
  const d = local(seconds, offset);
  const base = `${two(d.getUTCDate())}.${two(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  if (offset === null) return base;
  const abs = Math.abs(offset);
  return `${base} UTC${offset < 0 ? "-" : "+"}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

function dayText(seconds: number, offset: number | null): string {
  const d = local(seconds, offset);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

function dayOf(seconds: number, offset: number | null): string {
  return local(seconds, offset).toISOString().slice(0, 10);
}

function secondsOf(message: Json): number {
  return Number(message.date_unixtime);
}

/** Text parts (tdesktop JSON `text`) → tdesktop's HTML (FormatText). */
function formatText(text: unknown): string {
  const parts = typeof text === "string" ? [text] : Array.isArray(text) ? text : [];
  return parts
    .map((part) => {
      if (typeof part === "string") return serialize(part);
      const p = part as Json;
      const t = serialize(String(p.text ?? ""));
      switch (p.type) {
        case "bold":
          return `<strong>${t}</strong>`;
        case "italic":
          return `<em>${t}</em>`;
        case "code":
          return `<code>${t}</code>`;
        case "pre":
          return `<pre>${t}</pre>`;
        case "link":
          return `<a href="${t}">${t}</a>`;
        case "text_link":
          return `<a href="${serialize(String(p.href ?? ""))}">${t}</a>`;
        case "blockquote":
          return `<blockquote>${t}</blockquote>`;
        case "spoiler":
          return `<span class="spoiler hidden" onclick="ShowSpoiler(this)"><span aria-hidden="true">${t}</span></span>`;
        case "custom_emoji":
          return `<a href = "../../${serialize(String(p.document_id ?? ""))}">${t}</a>`;
        default:
          return t;
      }
    })
    .join("");
}

const NOT_INCLUDED = "Not included, change data exporting settings to download.";
const omittedPath = (path: unknown) => typeof path !== "string" || path.startsWith("(");

interface Previous {
  service: boolean;
  fromId: unknown;
  via: unknown;
  seconds: number;
  forwarded: unknown;
}

export class TdesktopHtmlWriter {
  private readonly pageSize: number;
  private readonly offset: number | null;
  private readonly folder: string;
  private readonly base: string;
  /** The last message id of every finished page, for reply links into earlier pages. */
  private readonly lastIdPerPage: number[] = [];

  constructor(private readonly options: HtmlChatOptions) {
    this.pageSize = options.pageSize ?? 1000;
    this.offset = options.utcOffsetMinutes === undefined ? 180 : options.utcOffsetMinutes;
    this.folder = options.folder ?? "";
    this.base = this.folder === "" ? "" : "../".repeat(this.folder.split("/").length);
  }

  /** The pages, as [path inside the export, html]. */
  pages(messages: readonly Json[]): [string, string][] {
    const pages: [string, string][] = [];
    for (let start = 0, index = 0; start < messages.length || index === 0; start += this.pageSize, index++) {
      const slice = messages.slice(start, start + this.pageSize);
      const name = index === 0 ? "messages.html" : `messages${index + 1}.html`;
      pages.push([this.folder === "" ? name : `${this.folder}/${name}`, this.page(slice, index)]);
      const last = slice.at(-1);
      if (last) this.lastIdPerPage.push(Number(last.id));
    }
    return pages;
  }

  private page(messages: readonly Json[], index: number): string {
    const c = new Context();
    c.raw("<!DOCTYPE html>");
    c.push("html");
    c.push("head");
    c.push("meta", { charset: "utf-8" }, { empty: true });
    c.push("title", {}, { inline: true });
    c.raw("Exported Data");
    c.pop();
    c.push("meta", { name: "viewport", content: "width=device-width, initial-scale=1.0" }, { empty: true });
    c.push("link", { href: `${this.base}css/style.css`, rel: "stylesheet" }, { empty: true });
    c.push("script", { src: `${this.base}js/script.js`, type: "text/javascript" });
    c.pop();
    c.pop();
    c.push("body", { onload: "CheckLocation();" });
    c.div("page_wrap");
    c.div("page_header");
    c.div("content");
    c.div("text bold");
    c.raw(serialize(this.options.name));
    c.pop();
    c.pop();
    c.pop();
    c.div("page_body chat_page");
    c.div("history");
    if (index > 0) {
      c.push("a", {
        class: "pagination block_link",
        href: index === 1 ? "messages.html" : `messages${index}.html`,
      });
      c.raw("Previous messages");
      c.pop();
    }
    let previous: Previous | null = null;
    let separator = 0;
    for (const message of messages) {
      const seconds = secondsOf(message);
      if (!previous || dayOf(previous.seconds, this.offset) !== dayOf(seconds, this.offset)) {
        this.service(c, --separator, dayText(seconds, this.offset));
      }
      previous = this.message(c, message, previous);
    }
    c.closeAll();
    return c.out;
  }

  private service(c: Context, id: number, text: string) {
    c.push("div", { class: "message service", id: `message${id}` });
    c.div("body details");
    c.raw(text);
    c.pop();
    c.pop();
  }

  private message(c: Context, m: Json, previous: Previous | null): Previous {
    const seconds = secondsOf(m);
    const info: Previous = {
      service: false,
      fromId: m.from_id ?? m.actor_id,
      via: m.via_bot,
      seconds,
      forwarded: m.forwarded_from,
    };
    if (m.type === "unsupported") {
      this.service(c, Number(m.id), serviceText(m));
      return { ...info, service: true };
    }
    if (m.type === "service" && m.action !== "phone_call") {
      this.service(c, Number(m.id), serviceText(m));
      return { ...info, service: true };
    }
    const forwarded = "forwarded_from" in m;
    const wrap =
      !previous ||
      previous.service ||
      previous.fromId !== (m.from_id ?? m.actor_id) ||
      previous.via !== m.via_bot ||
      dayOf(previous.seconds, this.offset) !== dayOf(seconds, this.offset) ||
      previous.forwarded !== m.forwarded_from ||
      Math.abs(seconds - previous.seconds) > (forwarded ? 1 : 900);
    const from = String(m.from ?? m.actor ?? "Deleted Account");
    c.push("div", {
      class: wrap ? "message default clearfix" : "message default clearfix joined",
      id: `message${m.id}`,
    });
    if (wrap) this.userpic(c, from);
    c.div("body");
    c.push("div", { class: "pull_right date details", title: dateTitle(seconds, this.offset) });
    const d = local(seconds, this.offset);
    c.raw(`${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`);
    c.pop();
    if (wrap) {
      c.div("from_name");
      c.raw(serialize(from));
      if (typeof m.via_bot === "string" && !forwarded) c.raw(` via ${m.via_bot}`);
      c.pop();
    }
    if (forwarded) {
      if (wrap)
        this.userpic(c, String(m.forwarded_from ?? "Deleted Account"), "pull_left forwarded userpic_wrap");
      c.div("forwarded body");
      if (wrap) {
        c.div("from_name");
        c.raw(serialize(String(m.forwarded_from ?? "Deleted Account")));
        if (typeof m.via_bot === "string") c.raw(` via ${m.via_bot}`);
        c.push(
          "span",
          { class: "date details", title: dateTitle(seconds - 3600, this.offset) },
          { inline: true },
        );
        c.raw(` ${dateTitle(seconds - 3600, null)}`);
        c.pop();
        c.pop();
      }
    }
    if (m.reply_to_message_id !== undefined) this.replyTo(c, m);
    this.media(c, m);
    const text = formatText(m.text);
    if (text !== "") {
      c.div("text");
      c.raw(text);
      c.pop();
    }
    if (forwarded) c.pop();
    c.pop();
    c.pop();
    return info;
  }

  private userpic(c: Context, name: string, wrapClass = "pull_left userpic_wrap") {
    c.div(wrapClass);
    c.push("div", { class: "userpic userpic2", style: "width: 42px; height: 42px" });
    c.push("div", { class: "initials", style: "line-height: 42px" });
    c.raw(serialize(name.slice(0, 1)));
    c.pop();
    c.pop();
    c.pop();
  }

  private replyTo(c: Context, m: Json) {
    c.div("reply_to details");
    if (m.reply_to_peer_id !== undefined) c.raw("In reply to a message in another chat");
    else {
      const id = Number(m.reply_to_message_id);
      const page = this.lastIdPerPage.findIndex((last) => id <= last);
      c.raw("In reply to ");
      c.raw(
        page < 0
          ? `<a href="#go_to_message${id}" onclick="return GoToMessage(${id})">this message</a>`
          : `<a href="${page === 0 ? "messages.html" : `messages${page + 1}.html`}#go_to_message${id}">this message</a>`,
      );
    }
    c.pop();
  }

  private href(path: string): string {
    return `${this.base}${path}`;
  }

  private media(c: Context, m: Json) {
    if (m.type === "service") return this.generic(c, "media_call", "Маша", "", "Incoming (10 seconds)", null);
    if (m.photo !== undefined) {
      if (omittedPath(m.photo))
        return this.generic(c, "media_photo", "Photo", NOT_INCLUDED, "800x600, 40.0 KB", null);
      return this.wrapped(c, "photo_wrap", String(m.photo), "photo");
    }
    if (m.poll !== undefined) {
      c.div("media_wrap clearfix");
      c.div("media_poll");
      c.div("question bold");
      c.raw(serialize(String((m.poll as Json).question ?? "")));
      c.pop();
      c.div("details");
      c.raw("Anonymous poll");
      c.pop();
      c.pop();
      c.pop();
      return;
    }
    if (m.contact_information !== undefined)
      return this.generic(c, "media_contact", "Иван Петров", "", "+7 900 000 00 00", null);
    if (m.location_information !== undefined)
      return this.generic(
        c,
        "media_location",
        "Location",
        "",
        "55.75, 37.61",
        "https://maps.google.com/maps?q=55.75,37.61",
      );
    if (m.file === undefined && m.media_type !== "sticker") return;
    const path = omittedPath(m.file) ? null : String(m.file);
    switch (m.media_type) {
      case "sticker":
        return path
          ? this.wrapped(c, "sticker_wrap", path, "sticker")
          : this.generic(
              c,
              "media_photo",
              "Sticker",
              NOT_INCLUDED,
              `${String(m.sticker_emoji ?? "")}, 20.0 KB`,
              null,
            );
      case "voice_message":
        return this.generic(
          c,
          "media_voice_message",
          "Voice message",
          path ? "" : NOT_INCLUDED,
          "00:05",
          path,
        );
      case "video_message":
        return this.generic(c, "media_video", "Video message", path ? "" : NOT_INCLUDED, "00:07", path);
      case "video_file":
        return path
          ? this.wrapped(c, "video_file_wrap", path, "video_file")
          : this.generic(c, "media_video", "Video file", NOT_INCLUDED, "00:30, 3.0 MB", null);
      case "animation":
        return path
          ? this.wrapped(c, "animated_wrap", path, "animated")
          : this.generic(c, "media_video", "Animation", NOT_INCLUDED, "1.0 MB", null);
      case "audio_file":
        return this.generic(c, "media_audio_file", "Audio file", path ? "" : NOT_INCLUDED, "03:00", path);
      default:
        return this.generic(
          c,
          "media_file",
          String(m.file_name ?? "File"),
          path ? "" : NOT_INCLUDED,
          "12.0 KB",
          path,
        );
    }
  }

  private wrapped(c: Context, wrap: string, path: string, imgClass: string) {
    c.div("media_wrap clearfix");
    c.push("a", { class: `${wrap} clearfix pull_left`, href: this.href(path) });
    c.push(
      "img",
      { class: imgClass, src: this.href(`${path}_thumb.jpg`), style: "width: 260px; height: 195px" },
      { empty: true },
    );
    c.pop();
    c.pop();
  }

  private generic(
    c: Context,
    classes: string,
    title: string,
    description: string,
    status: string,
    link: string | null,
  ) {
    c.div("media_wrap clearfix");
    if (link === null) c.div(`media clearfix pull_left ${classes}`);
    else
      c.push("a", {
        class: `media clearfix pull_left block_link ${classes}`,
        href: link.startsWith("https://") ? link : this.href(link),
      });
    c.div("fill pull_left");
    c.pop();
    c.div("body");
    for (const [cls, value] of [
      ["title bold", title],
      ["description", description],
      ["status details", status],
    ] as const) {
      if (value === "") continue;
      c.div(cls);
      c.raw(serialize(value));
      c.pop();
    }
    c.pop();
    c.pop();
    c.pop();
  }
}

function serviceText(m: Json): string {
  const actor = serialize(String(m.actor ?? "Deleted"));
  switch (m.action) {
    case "invite_members":
      return `${actor} invited ${serialize(((m.members as string[]) ?? []).join(", "))}`;
    case "pin_message":
      return `${actor} pinned <a href="#go_to_message${m.message_id}" onclick="return GoToMessage(${m.message_id})">this message</a>`;
    case undefined:
      return "This message is not supported by this version of Telegram Desktop. Please update the application.";
    default:
      return `${actor} changed group title to &laquo;${serialize(String(m.title ?? ""))}&raquo;`;
  }
}

/** A full export's `export_results.html` with the account's personal info, as writePreparedPersonal draws it. */
export function tdesktopAccountPage(firstName: string, lastName: string): string {
  const c = new Context();
  c.raw("<!DOCTYPE html>");
  c.push("html");
  c.push("head");
  c.push("meta", { charset: "utf-8" }, { empty: true });
  c.push("title", {}, { inline: true });
  c.raw("Exported Data");
  c.pop();
  c.pop();
  c.push("body", { onload: "CheckLocation();" });
  c.div("page_wrap");
  c.div("page_header");
  c.div("content");
  c.div("text bold");
  c.raw("Exported Data");
  c.pop();
  c.pop();
  c.pop();
  c.div("page_body");
  c.div("personal_info clearfix");
  c.div("pull_right userpic_wrap");
  c.pop();
  const rows = (name: string, values: [string, string][]) => {
    c.div(`rows ${name}`);
    for (const [label, value] of values) {
      if (value === "") continue;
      c.div("row");
      c.div("label details");
      c.raw(serialize(label));
      c.pop();
      c.div("value bold");
      c.raw(serialize(value));
      c.pop();
      c.pop();
    }
    c.pop();
  };
  rows("names", [
    ["First name", firstName],
    ["Last name", lastName],
  ]);
  rows("info", [
    ["Phone number", "+7 900 000 00 00"],
    ["Username", "@anya"],
  ]);
  c.pop();
  c.div("sections with_divider");
  c.push("a", { class: "section block_link chats", href: "lists/chats.html#allow_back" });
  c.div("counter details");
  c.raw("2");
  c.pop();
  c.div("label bold");
  c.raw("Chats");
  c.pop();
  c.pop();
  c.closeAll();
  return c.out;
}

/** A full export's `lists/chats.html`: one entry per chat, linked to its first page, with TypeString. */
export function tdesktopChatList(
  chats: { folder: string; name: string; type: string; messages: number }[],
): string {
  const c = new Context();
  c.raw("<!DOCTYPE html>");
  c.push("html");
  c.push("head");
  c.push("meta", { charset: "utf-8" }, { empty: true });
  c.push("title", {}, { inline: true });
  c.raw("Exported Data");
  c.pop();
  c.pop();
  c.push("body", { onload: "CheckLocation();" });
  c.div("page_wrap");
  c.div("page_header");
  c.push("a", {
    class: "content block_link",
    href: "../export_results.html",
    onclick: "return GoBack(this)",
  });
  c.div("text bold");
  c.raw("Chats");
  c.pop();
  c.pop();
  c.pop();
  c.div("page_body list_page");
  c.div("page_about details");
  c.raw("This page lists all chats from this export.");
  c.pop();
  c.div("entry_list");
  for (const chat of chats) {
    c.push("a", { class: "entry block_link clearfix", href: `../${chat.folder}/messages.html#allow_back` });
    c.div("pull_left userpic_wrap");
    c.pop();
    c.div("body");
    c.div("pull_right info details");
    c.raw(chat.type);
    c.pop();
    c.div("name bold");
    c.raw(serialize(chat.name));
    c.pop();
    c.div("details_entry details");
    c.raw(`${chat.messages} messages`);
    c.pop();
    c.pop();
    c.pop();
  }
  c.closeAll();
  return c.out;
}
