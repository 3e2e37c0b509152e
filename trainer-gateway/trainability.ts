/**
 * Whether the platform's own trainer can train a base model, from the model's size and the trainer's machine:
 * the dashboard preselects a model that can, and says why the others cannot. A rule of thumb, not a promise:
 * - on the CPU the trainer runs LoRA over fp32 weights: up to CPU_MAX_PARAMETERS, and the weights with their
 *   activations (about 8 bytes a parameter) plus 1 GiB must fit the machine's memory;
 * - on a CUDA GPU it runs 4-bit QLoRA: about 0.75 bytes a parameter plus 2 GiB must fit the GPU's memory;
 * - remote GPU workers (training.backend = remote), test models and models of unknown size are not refused.
 */
export interface TrainerMachine {
  backend: "local" | "remote";
  /** The first CUDA GPU's memory; null when the machine has none. */
  cudaMemoryBytes: number | null;
  /** The machine's memory. */
  memoryBytes: number;
}

export type UntrainableReason = "NEEDS_GPU" | "NOT_ENOUGH_MEMORY";

export interface Trainability {
  trainableHere: boolean;
  reason: UntrainableReason | null;
  /** What a run of it needs on this machine's device (GPU memory with a GPU, else memory); null when unknown. */
  requiredMemoryBytes: number | null;
}

const GiB = 1024 ** 3;
/** Past this a CPU run takes days: a GPU is needed. */
export const CPU_MAX_PARAMETERS = 1.5e9;

export function trainability(
  model: { parameters?: number | undefined; testOnly?: boolean | undefined },
  machine: TrainerMachine,
): Trainability {
  const parameters = model.parameters;
  if (parameters === undefined || model.testOnly)
    return { trainableHere: true, reason: null, requiredMemoryBytes: null };
  if (machine.backend === "remote" || machine.cudaMemoryBytes !== null) {
    const required = Math.round(parameters * 0.75 + 2 * GiB);
    const fits = machine.backend === "remote" || required <= (machine.cudaMemoryBytes ?? 0);
    return { trainableHere: fits, reason: fits ? null : "NOT_ENOUGH_MEMORY", requiredMemoryBytes: required };
  }
  const required = Math.round(parameters * 8 + GiB);
  if (parameters > CPU_MAX_PARAMETERS)
    return { trainableHere: false, reason: "NEEDS_GPU", requiredMemoryBytes: required };
  const fits = required <= machine.memoryBytes;
  return { trainableHere: fits, reason: fits ? null : "NOT_ENOUGH_MEMORY", requiredMemoryBytes: required };
}
