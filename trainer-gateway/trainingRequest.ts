import { registeredBaseModels } from "./baseModels.js";
import { checkHyperparameters, type HyperparameterValues } from "./hyperparameters.js";

/**
 * What the API checks before it records TrainingRequested: a registry base model (a path would name a
 * file on some worker's disk, which an API caller must not pick) and the trainer's own hyperparameters.
 */
export function checkTrainingRequest(
  baseModel: string,
  hyperparameters: HyperparameterValues,
): { field: string; message: string } | null {
  const baseModels = registeredBaseModels();
  if (!baseModels.some((m) => m.name === baseModel))
    return {
      field: "baseModel",
      message: `unknown base model '${baseModel}'; known are ${baseModels.map((m) => m.name).join(", ")}`,
    };
  return checkHyperparameters(hyperparameters);
}
