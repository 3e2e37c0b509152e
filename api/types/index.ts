export * from "./cloneTypes.js";
export * from "./inputs.js";
export * from "./ownerTypes.js";
