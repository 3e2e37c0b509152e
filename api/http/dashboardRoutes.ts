import { existsSync } from "node:fs";
import { join } from "node:path";
import express from "express";

/** Paths the dashboard never answers: the API's own, and anything that looks like a file. */
const API_PATHS = /^\/(graphql|healthz)(\/|$)/;
const FILE_LIKE = /\/[^/]+\.[a-z0-9]+$/i;
/** A Host header that can go into a header value as it is (name or address, optional port). */
const PLAIN_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * What the built dashboard loads (checked against dashboard/dist): one module script and one stylesheet
 * from /assets, no inline script or style element (React sets styles through the DOM, which style-src does
 * not govern), a `data:` favicon, fetch to /graphql and graphql-ws on the same host. No page may frame it.
 */
export function dashboardContentSecurityPolicy(host: string | undefined): string {
  const sockets = host && PLAIN_HOST.test(host) ? ` ws://${host} wss://${host}` : "";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Serves the built dashboard (dashboard/dist) at `/`: hashed assets under /assets/ cached for a year as
 * immutable, index.html never cached (it names the current assets), and index.html for every client route
 * (/clones/…, /keys) so a reload or a shared link works. /graphql and /healthz are left to the API; when the
 * dashboard was not built, `/` says how to build it instead of a bare 404. Every answer carries the
 * Content-Security-Policy below (frame-ancestors 'none', no inline or eval'd script).
 */
export function dashboardRoutes(distDir: string): (app: express.Express) => void {
  return (app) => {
    const index = join(distDir, "index.html");
    app.use((request, response, next) => {
      if (!API_PATHS.test(request.path)) {
        response.setHeader("content-security-policy", dashboardContentSecurityPolicy(request.headers.host));
        response.setHeader("x-frame-options", "DENY");
        response.setHeader("x-content-type-options", "nosniff");
        response.setHeader("referrer-policy", "no-referrer");
      }
      next();
    });
    app.use(
      "/assets",
      express.static(join(distDir, "assets"), {
        immutable: true,
        maxAge: "365d",
        index: false,
        fallthrough: false,
      }),
    );
    app.use(
      express.static(distDir, {
        index: false,
        maxAge: 0,
        setHeaders: (response) => response.setHeader("cache-control", "no-cache"),
      }),
    );
    app.get(/.*/, (request, response, next) => {
      if (API_PATHS.test(request.path) || FILE_LIKE.test(request.path)) return next();
      if (!request.accepts("html")) return next();
      if (!existsSync(index)) {
        response
          .status(503)
          .type("text/plain; charset=utf-8")
          .send("The dashboard is not built: run `npm run build` (node scripts/buildDashboard.mjs).\n");
        return;
      }
      response.setHeader("cache-control", "no-cache");
      response.setHeader("x-content-type-options", "nosniff");
      response.sendFile(index);
    });
  };
}
