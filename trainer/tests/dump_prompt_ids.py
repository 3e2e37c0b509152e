"""Prints, for the prompt parity test (runtime/test/promptParity.int.test.ts), what the trainer would feed the
model: the prompt contract and, per conversation, the token ids of the prompt for its last reply and of the
whole training sample. Usage: python dump_prompt_ids.py BASE.gguf CONVERSATIONS.json > out.json
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiclone_trainer.data import ChatFormatter, tokenize_conversation  # noqa: E402
from aiclone_trainer.modeling import BaseRef, base_specials, load_tokenizer  # noqa: E402
from aiclone_trainer.prompt_contract import derive_contract  # noqa: E402


def main() -> None:
    base = BaseRef.parse(sys.argv[1])
    conversations = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    tokenizer = load_tokenizer(base)
    contract = derive_contract(tokenizer, base_specials(base, tokenizer), conversations)
    contract.system_prompt = conversations[0][0]["content"] if conversations[0][0]["role"] == "system" else None
    formatter = ChatFormatter(tokenizer, contract)
    samples = []
    for conv in conversations:
        last = max(i for i, m in enumerate(conv) if m["role"] == "assistant")
        samples.append({
            "prompt_ids": formatter.prompt_ids(conv[:last]),
            "sample_ids": tokenize_conversation(formatter, conv[: last + 1]).input_ids,
            "end_of_turn_id": tokenizer.convert_tokens_to_ids(contract.end_of_turn),
        })
    json.dump({"contract": json.loads(contract.to_json()), "samples": samples}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
