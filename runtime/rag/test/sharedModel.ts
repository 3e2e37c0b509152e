/** The small real GGUF model for tests; runtime tests may not import the platform's fixtures. */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// This file compiles to dist/runtime/rag/test/: the shared folder lies beside the repository root.
const besideRepository = fileURLToPath(new URL("../../../../../shared/", import.meta.url));

export const sharedDir = () => process.env.SHARED_DATA_DIR ?? besideRepository;
export const tinyGgufPath = () => join(sharedDir(), "models", "llama-2-tiny-random.gguf");
