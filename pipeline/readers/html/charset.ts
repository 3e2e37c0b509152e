export type HtmlCharset = "utf-8" | "windows-1251";

const META_CHARSET = /<meta[^>]*charset\s*=\s*["']?\s*([\w-]+)/i;

/**
 * The charset of an HTML file from its first bytes: a UTF-8 byte-order mark, else the `<meta charset>` or
 * `http-equiv` content type, else UTF-8 when the bytes are valid UTF-8 and windows-1251 when they are not
 * (older VK archives declare nothing else). Only the two charsets the supported exports use are told apart.
 */
export function detectCharset(head: Buffer): HtmlCharset {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return "utf-8";
  const declared = META_CHARSET.exec(head.toString("latin1"))?.[1]?.toLowerCase();
  if (declared === "windows-1251" || declared === "cp1251") return "windows-1251";
  if (declared === "utf-8" || declared === "utf8") return "utf-8";
  return isUtf8Prefix(head) ? "utf-8" : "windows-1251";
}

function isUtf8Prefix(head: Buffer): boolean {
  // Streaming decode: a head cut inside a multi-byte character is held back, not an error.
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}
