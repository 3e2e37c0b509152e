/** The small real model the runtime's tests use (runtime tests may not import platform helpers). */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// dist/runtime/test/ → the folder beside the repository root.
const fallback = fileURLToPath(new URL("../../../../shared/", import.meta.url));

export const sharedDir = () => process.env.SHARED_DATA_DIR ?? fallback;
export const TINY_MODEL_SHA256 = "81f226c62d28ed4a1a9b9fa080fcd9f0cc40e0f9d5680036583ff98fbcd035cb";
export const tinyModelPath = () => join(sharedDir(), "models", "llama-2-tiny-random.gguf");
