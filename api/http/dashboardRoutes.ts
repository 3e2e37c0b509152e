import { existsSync } from "node:fs";
import { join } from "node:path";
import express from "express";

/** Paths the dashboard never answers: the API's own, and anything that looks like a file. */
const API_PATHS = /^\/(graphql|healthz)(\/|$)/;
const FILE_LIKE = /\/[^/]+\.[a-z0-9]+$/i;

/**
 * Serves the built dashboard (dashboard/dist) at `/`: hashed assets under /assets/ cached for a year as
 * immutable, index.html never cached (it names the current assets), and index.html for every client route
 * (/clones/…, /keys) so a reload or a shared link works. /graphql and /healthz are left to the API; when the
 * dashboard was not built, `/` says how to build it instead of a bare 404.
 */
export function dashboardRoutes(distDir: string): (app: express.Express) => void {
  return (app) => {
    const index = join(distDir, "index.html");
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
