/**
 * Loaded into a process under test with `NODE_OPTIONS=--import <this file>`: every outgoing TCP connection
 * (http, fetch, WebSocket, database drivers all go through net.Socket#connect) is appended as a JSON line
 * to the file named by CONNECTION_AUDIT_FILE, so a test can list exactly where a process connected to.
 */
import { appendFileSync } from "node:fs";
import net from "node:net";

const file = process.env.CONNECTION_AUDIT_FILE;
if (file) {
  const connect = net.Socket.prototype.connect as (...args: unknown[]) => net.Socket;
  net.Socket.prototype.connect = function auditedConnect(this: net.Socket, ...args: unknown[]) {
    const first = args[0];
    const options = (Array.isArray(first) ? first[0] : first) as
      | { host?: string; port?: number; path?: string }
      | number
      | string;
    const target =
      typeof options === "object" && options !== null
        ? options.path
          ? { path: options.path }
          : { host: options.host ?? "localhost", port: Number(options.port) }
        : typeof options === "number"
          ? { host: typeof args[1] === "string" ? args[1] : "localhost", port: options }
          : { path: String(options) };
    appendFileSync(file, `${JSON.stringify({ pid: process.pid, ...target })}\n`);
    return connect.apply(this, args);
  };
}
