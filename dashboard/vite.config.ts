import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npx vite dashboard` serves the app with hot reload against a running platform (AICLONE_API, default
// http://127.0.0.1:4000); `node scripts/buildDashboard.mjs` builds it into dashboard/dist for the platform.
const api = process.env.AICLONE_API ?? "http://127.0.0.1:4000";

export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [react()],
  logLevel: "warn",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    proxy: { "/graphql": { target: api, ws: true, changeOrigin: true } },
  },
});
