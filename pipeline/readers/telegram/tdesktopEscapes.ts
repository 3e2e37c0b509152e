/**
 * Telegram Desktop writes control characters as `\xNN`, which is not JSON (FORMATS.md §1.10). This rewrites
 * such escapes to `\u00NN` on the fly. A `\x` counts only when its backslash is an escape of its own, i.e.
 * preceded by an even run of backslashes (`"\\x41"` is a literal backslash followed by `x41`).
 */
export class TdesktopEscapeFixer {
  /** A trailing run of backslashes held back until the next chunk shows what follows it. */
  private carry = "";

  push(chunk: string): string {
    let text = this.carry + chunk;
    this.carry = "";
    let end = text.length;
    while (end > 0 && text.charCodeAt(end - 1) === BACKSLASH) end--;
    if (end < text.length) {
      this.carry = text.slice(end);
      text = text.slice(0, end);
    }
    return text.includes("\\x") ? fixEscapes(text) : text;
  }

  end(): string {
    const rest = this.carry;
    this.carry = "";
    return rest;
  }
}

const BACKSLASH = 0x5c;

function fixEscapes(text: string): string {
  let out = "";
  let from = 0;
  for (let at = text.indexOf("\\x"); at !== -1; at = text.indexOf("\\x", at + 2)) {
    let run = 1;
    while (at - run >= 0 && text.charCodeAt(at - run) === BACKSLASH) run++;
    if (run % 2 === 1) {
      out += `${text.slice(from, at)}\\u00`;
      from = at + 2;
    }
  }
  return out + text.slice(from);
}
