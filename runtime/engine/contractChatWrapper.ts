/**
 * A node-llama-cpp chat wrapper that prompts through the adapter's prompt contract: the whole prompt is one
 * text with special tokens recognised (how the trainer's tokenizer read it), a BOS token only where the
 * contract says so, and generation stops at the contract's end-of-turn token. node-llama-cpp's own ChatML
 * wrapper always adds a BOS, which for SmolLM2 is `<|im_start|>`: training never saw that doubled start.
 */
import {
  ChatWrapper,
  type ChatWrapperGenerateContextStateOptions,
  type ChatWrapperGeneratedContextState,
  LlamaText,
  SpecialToken,
  SpecialTokensText,
} from "node-llama-cpp";
import { type ContractMessage, type PromptContract, renderPrompt } from "./promptContract.js";

const responseText = (response: readonly unknown[]): string =>
  response.filter((part): part is string => typeof part === "string").join("");

const systemText = (text: Parameters<typeof LlamaText.fromJSON>[0]): string =>
  typeof text === "string" ? text : LlamaText.fromJSON(text).toString();

export class ContractChatWrapper extends ChatWrapper {
  override readonly wrapperName = "aiclone-prompt-contract";

  constructor(readonly contract: PromptContract) {
    super();
  }

  override generateContextState({
    chatHistory,
  }: ChatWrapperGenerateContextStateOptions): ChatWrapperGeneratedContextState {
    const messages: ContractMessage[] = [];
    let partialReply = "";
    chatHistory.forEach((item, index) => {
      if (item.type === "system") messages.push({ role: "system", content: systemText(item.text) });
      else if (item.type === "user") messages.push({ role: "user", content: item.text });
      else if (index === chatHistory.length - 1) partialReply = responseText(item.response);
      else messages.push({ role: "assistant", content: responseText(item.response) });
    });
    const last = chatHistory.at(-1);
    // LlamaChat always ends the history with the model turn it completes; without one, ask for a reply.
    if (last?.type !== "model") partialReply = "";
    const text = renderPrompt(this.contract, messages, partialReply);
    const contextText = LlamaText([
      this.contract.addBos ? new SpecialToken("BOS") : "",
      new SpecialTokensText(text),
    ]);
    return {
      contextText,
      stopGenerationTriggers: [
        LlamaText(new SpecialToken("EOS")),
        LlamaText(new SpecialToken("EOT")),
        LlamaText(new SpecialTokensText(this.contract.endOfTurn)),
      ],
    };
  }
}
