/**
 * The prompt contract an adapter was trained with (trainer/aiclone_trainer/prompt_contract.py writes it into
 * the adapter's GGUF as `aiclone.prompt_contract`): per-role text around each message, the generation
 * prompt, the end-of-turn token, whether a BOS token starts the prompt, the system prompt of the dataset and
 * the base model's sha256. The runtime renders prompts from it, so a clone is asked exactly the way it was
 * trained; the parity test compares the token ids of both sides.
 */
import { readGgufFileInfo } from "node-llama-cpp";
import { z } from "zod";

export const PROMPT_CONTRACT_GGUF_KEY = "aiclone.prompt_contract";

const turnSchema = z.strictObject({ prefix: z.string(), suffix: z.string() });

export const promptContractSchema = z.strictObject({
  version: z.literal(1),
  /** "chatml", "chat-template" (another template, split into turns) or "aiclone-fallback-v1". */
  template: z.string().min(1),
  turns: z.strictObject({ system: turnSchema, user: turnSchema, assistant: turnSchema }),
  generationPrompt: z.string(),
  /** The token a reply ends with, as text (`<|im_end|>`, `</s>`). */
  endOfTurn: z.string().min(1),
  addBos: z.boolean(),
  bosToken: z.string().nullable(),
  /** Special-token strings broken inside message contents, longest first. */
  escape: z.array(z.string()),
  /** The system prompt every training sample had; null when the dataset had none or several. */
  systemPrompt: z.string().nullable(),
  /** sha256 of the base GGUF the adapter was trained on; null for a Hugging Face folder base. */
  baseSha256: z.string().nullable(),
});
export type PromptContract = z.infer<typeof promptContractSchema>;

export class PromptContractError extends Error {
  override readonly name = "PromptContractError";
}

export interface ContractMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

const ZERO_WIDTH_SPACE = "\u200b";

/** Breaks special-token strings inside a message, the way the trainer did, so text cannot end a turn. */
export function escapeContent(contract: PromptContract, text: string): string {
  let out = text;
  for (const special of contract.escape) {
    if (!special || !out.includes(special)) continue;
    const [first = "", ...rest] = [...special];
    out = out.replaceAll(special, first + ZERO_WIDTH_SPACE + rest.join(""));
  }
  return out;
}

/**
 * The prompt text (without BOS) for `messages`, ending with the generation prompt; `partialReply` continues
 * a reply already begun. Identical to PromptContract.render in the trainer.
 */
export function renderPrompt(
  contract: PromptContract,
  messages: readonly ContractMessage[],
  partialReply?: string,
): string {
  let text = "";
  for (const m of messages) {
    const turn = contract.turns[m.role];
    text += turn.prefix + escapeContent(contract, m.content) + turn.suffix;
  }
  return text + contract.generationPrompt + (partialReply ? escapeContent(contract, partialReply) : "");
}

export function parsePromptContract(json: string, where: string): PromptContract {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new PromptContractError(
      `${where}: ${PROMPT_CONTRACT_GGUF_KEY} is not JSON (${(error as Error).message})`,
    );
  }
  const parsed = promptContractSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PromptContractError(
      `${where}: ${PROMPT_CONTRACT_GGUF_KEY}.${issue?.path.join(".")}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

/** The contract in an adapter GGUF's metadata, or null for an adapter trained before contracts existed. */
export async function readPromptContract(adapterPath: string): Promise<PromptContract | null> {
  const info = await readGgufFileInfo(adapterPath, { readTensorInfo: false, ignoreKeys: [] });
  const aiclone = (info.metadata as unknown as Record<string, unknown>).aiclone as
    | Record<string, unknown>
    | undefined;
  const raw = aiclone?.prompt_contract;
  if (raw === undefined) return null;
  if (typeof raw !== "string")
    throw new PromptContractError(`${adapterPath}: ${PROMPT_CONTRACT_GGUF_KEY} is not a string`);
  return parsePromptContract(raw, adapterPath);
}
