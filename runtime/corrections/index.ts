/** The corrections file format shared by the runtime's export and the platform's upload. */
export * from "./correctionFile.js";
