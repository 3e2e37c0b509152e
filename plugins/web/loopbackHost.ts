/**
 * Whether an address only this machine can reach is meant: a listen host from the config, or the host
 * part of a request's Host header (a DNS-rebinding page reaches 127.0.0.1 under its own name, so
 * without a token only loopback names are served).
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1");
  if (bare === "localhost" || bare.endsWith(".localhost")) return true;
  if (bare === "::1" || bare === "0:0:0:0:0:0:0:1") return true;
  const v4 = bare.replace(/^::ffff:/, "");
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** The host name of a Host header value, without its port (`[::1]:3000` → `::1`). */
export function hostOfHostHeader(header: string): string {
  const value = header.trim();
  if (value.startsWith("["))
    return value.slice(1, value.indexOf("]") === -1 ? undefined : value.indexOf("]"));
  const colon = value.lastIndexOf(":");
  return colon === -1 ? value : value.slice(0, colon);
}
