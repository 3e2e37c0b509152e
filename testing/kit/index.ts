/**
 * `@aiclone/testing`: the test kit every package's tests share (private, never published). Import a module
 * by its subpath (`@aiclone/testing/until`); they are small and do not depend on each other much.
 */
export * from "./freePort.js";
export * from "./sharedData.js";
export * from "./until.js";
