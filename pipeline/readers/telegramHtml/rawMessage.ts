/** One `<div class="message …">` of a tdesktop HTML page, as written, before it becomes a ChatMessage. */
export interface RawHtmlMessage {
  /** The number in `id="message123"`; negative for the day separators tdesktop inserts. */
  id: number;
  service: boolean;
  /** `joined`: tdesktop left out the author because the previous message has the same one. */
  joined: boolean;
  /** The `title` of the message's date: `dd.mm.yyyy hh:mm:ss[ UTC±hh:mm]`. */
  dateTitle: string | null;
  /** The `from_name` text (with ` via @bot` when sent through an inline bot). */
  fromName: string | null;
  forwarded: boolean;
  /** The original author inside the forwarded body; null when tdesktop joined it to the previous forward. */
  forwardedName: string | null;
  /** The `go_to_message` id of the reply link; null for none or a reply into another chat. */
  replyTo: number | null;
  text: string;
  /** Body of a service message (English, written by tdesktop). */
  serviceText: string;
  media: RawHtmlMedia | null;
}

export interface RawHtmlMedia {
  /** `photo_wrap`, `sticker_wrap`, `animated_wrap`, `video_file_wrap`, or the `media_*` class of a generic block. */
  kind: string;
  href: string | null;
  title: string;
  /** Why the file is missing ("Not included, …"), when it is. */
  description: string;
}
