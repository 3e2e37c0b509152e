/** `aiclone-runtime/fidelity`: does the clone sound like its owner, measured through the runtime. */
export * from "./authorshipClassifier.js";
export * from "./fidelityReport.js";
export * from "./fidelityRun.js";
export * from "./replyStyle.js";
export * from "./replyVariety.js";
