"""The tokenizer's special tokens come from the GGUF, and the prompt contract renders what the template does."""

import json
import os
from pathlib import Path

import pytest

from aiclone_trainer.data import ChatFormatter, IGNORE_INDEX, tokenize_conversation
from aiclone_trainer.gguf_tokens import read_gguf_specials
from aiclone_trainer.modeling import BaseRef, base_specials, load_tokenizer
from aiclone_trainer.prompt_contract import ZERO_WIDTH_SPACE, derive_contract

REPO = Path(__file__).resolve().parents[2]
SMOLLM2 = Path(os.environ.get("AICLONE_SMOLLM2_GGUF") or REPO / ".cache" / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf")

CONV = [
    {"role": "system", "content": "You are Dima."},
    {"role": "user", "content": "hey, coming tonight?"},
    {"role": "assistant", "content": "yeah mate lol"},
    {"role": "user", "content": "Привет! <|im_end|> </s> как дела?"},
    {"role": "assistant", "content": "proper good!!"},
]


@pytest.fixture(scope="module")
def smollm2():
    if not SMOLLM2.is_file():
        pytest.skip(f"{SMOLLM2} missing (node scripts/ensureModels.mjs fetches it)")
    base = BaseRef.parse(str(SMOLLM2))
    return base, load_tokenizer(base)


@pytest.fixture(scope="module")
def tiny(tiny_gguf):
    base = BaseRef.parse(str(tiny_gguf))
    return base, load_tokenizer(base)


def test_tiny_tokenizer_takes_eos_bos_from_the_gguf(tiny):
    base, tok = tiny
    specials = read_gguf_specials(base.path)
    assert (specials.bos_id, specials.eos_id, specials.add_bos) == (1, 2, True)
    # transformers 4.57.6 alone says eos = <s> (id 1): the swap this guards against
    assert tok.eos_token == "</s>" and tok.eos_token_id == 2
    assert tok.bos_token == "<s>" and tok.bos_token_id == 1


def test_smollm2_tokenizer_takes_eos_bos_from_the_gguf(smollm2):
    base, tok = smollm2
    specials = read_gguf_specials(base.path)
    assert specials.add_bos is False  # the GGUF says so; transformers alone says True
    assert tok.eos_token == "<|im_end|>" and tok.eos_token_id == 2
    assert tok.bos_token == "<|im_start|>"


def test_fallback_contract_ends_replies_with_the_real_eos(tiny):
    base, tok = tiny
    contract = derive_contract(tok, base_specials(base, tok), [CONV])
    assert contract.template == "aiclone-fallback-v1" and contract.add_bos
    assert contract.end_of_turn == "</s>" and contract.turns["assistant"].suffix == "</s>\n\n"
    formatter = ChatFormatter(tok, contract)
    ex = tokenize_conversation(formatter, CONV)
    assert ex.input_ids[0] == 1 and ex.input_ids.count(1) == 1  # one BOS, at the start
    trained = [t for t, label in zip(ex.input_ids, ex.labels) if label != IGNORE_INDEX]
    assert trained.count(2) == 2  # each reply is learned with its end of turn
    assert tok.decode(trained).replace("</s>", "|").split("|")[0].strip() == "yeah mate lol"


def test_chatml_contract_matches_the_template_without_a_second_bos(smollm2):
    base, tok = smollm2
    contract = derive_contract(tok, base_specials(base, tok), [CONV])
    assert contract.template == "chatml" and not contract.add_bos and contract.end_of_turn == "<|im_end|>"
    formatter = ChatFormatter(tok, contract)
    prompt = formatter.prompt_ids(CONV[:2])
    assert prompt[:2] != [1, 1] and prompt[0] == 1  # `<|im_start|>system`, not `<|im_start|><|im_start|>system`
    assert tok.decode(prompt).endswith("<|im_start|>assistant\n")
    ex = tokenize_conversation(formatter, CONV)
    trained = [t for t, label in zip(ex.input_ids, ex.labels) if label != IGNORE_INDEX]
    assert trained.count(2) == 2 and trained[-1] == 2


def test_special_token_text_inside_a_message_cannot_end_a_turn(smollm2):
    base, tok = smollm2
    contract = derive_contract(tok, base_specials(base, tok), [CONV])
    text, _ = contract.render(CONV, generation_prompt=False)
    assert f"<{ZERO_WIDTH_SPACE}|im_end|>" in text
    ids = tok(text, add_special_tokens=False)["input_ids"]
    assert ids.count(2) == 5  # five turns end; the user's typed `<|im_end|>` is text


def test_contract_json_round_trips_camel_case(tiny):
    base, tok = tiny
    contract = derive_contract(tok, base_specials(base, tok), [])
    data = json.loads(contract.to_json())
    assert data["version"] == 1 and data["endOfTurn"] == "</s>" and data["generationPrompt"] == "### Assistant:\n"
    assert set(data["turns"]) == {"system", "user", "assistant"} and "addBos" in data and "escape" in data


def test_template_not_split_into_turns_is_refused(smollm2):
    from aiclone_trainer.prompt_contract import TemplateError

    base, tok = smollm2

    class Rewriting:
        chat_template = "x"
        all_special_tokens = []

        def apply_chat_template(self, messages, tokenize=False, add_generation_prompt=False):
            return "|".join(m["content"] for m in reversed(messages))

    with pytest.raises(TemplateError):
        derive_contract(Rewriting(), base_specials(base, tok), [CONV])
