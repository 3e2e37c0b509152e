"""The prompt contract: how a conversation becomes the text (and tokens) the adapter was trained on.

The trainer renders every sample through it and writes it into the adapter's GGUF metadata
(`aiclone.prompt_contract`, JSON); the runtime reads it back and renders the same text, so training and
serving see the same token ids. Its schema is declared once more for TypeScript in
runtime/engine/promptContract.ts; the parity test (runtime/test/promptParity.int.test.ts) compares the two.

Rendering: optional BOS token, then for each message `prefix[role] + escape(content) + suffix[role]`, then
`generation_prompt` when a reply is asked for. The whole text is tokenized in one piece with special tokens
recognised (what both transformers and llama.cpp do), and special-token strings inside message contents are
broken with a zero-width space first, so a message cannot close a turn or open a new one.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from .gguf_tokens import GgufSpecials

CONTRACT_VERSION = 1
GGUF_KEY = "aiclone.prompt_contract"
FALLBACK_TEMPLATE_NAME = "aiclone-fallback-v1"
ROLES = ("system", "user", "assistant")
ZERO_WIDTH_SPACE = "\u200b"

_SENTINELS = {"system": "AICLONE7SYSTEM7TEXT", "user": "AICLONE7USER7TEXT", "assistant": "AICLONE7REPLY7TEXT"}
_CHATML = {
    "turns": {r: {"prefix": f"<|im_start|>{r}\n", "suffix": "<|im_end|>\n"} for r in ROLES},
    "generation_prompt": "<|im_start|>assistant\n",
}


class TemplateError(ValueError):
    pass


@dataclass
class Turn:
    prefix: str
    suffix: str


@dataclass
class PromptContract:
    template: str
    turns: dict[str, Turn]
    generation_prompt: str
    end_of_turn: str
    add_bos: bool
    bos_token: str | None
    escape: list[str]
    system_prompt: str | None = None
    base_sha256: str | None = None
    version: int = field(default=CONTRACT_VERSION)

    # ---- rendering ----------------------------------------------------------------------------------
    def escape_content(self, text: str) -> str:
        for special in self.escape:
            if special and special in text:
                text = text.replace(special, special[0] + ZERO_WIDTH_SPACE + special[1:])
        return text

    def render(self, messages: list[dict[str, str]], generation_prompt: bool) -> tuple[str, list[tuple[int, int]]]:
        """The text (without BOS) and the character spans the loss is taken on: each reply and its end of turn."""
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        length = 0
        for m in messages:
            turn = self.turns[m["role"]]
            content = self.escape_content(m["content"])
            start = length + len(turn.prefix)
            piece = turn.prefix + content + turn.suffix
            if m["role"] == "assistant":
                end = start + len(content)
                if turn.suffix.startswith(self.end_of_turn):
                    end += len(self.end_of_turn)
                spans.append((start, end))
            parts.append(piece)
            length += len(piece)
        if generation_prompt:
            parts.append(self.generation_prompt)
        return "".join(parts), spans

    def to_json(self) -> str:
        data = asdict(self)
        data["turns"] = {r: asdict(t) for r, t in self.turns.items()}
        return json.dumps(_camel(data), ensure_ascii=False, sort_keys=True)


def _camel(data: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in data.items():
        head, *rest = key.split("_")
        out[head + "".join(w.title() for w in rest)] = value
    return out


def _special_strings(tokenizer) -> list[str]:
    found = set(getattr(tokenizer, "all_special_tokens", []) or [])
    for added in (getattr(tokenizer, "added_tokens_decoder", None) or {}).values():
        if getattr(added, "special", False):
            found.add(str(added))
    # Longest first: `<|im_start|>` must be broken before a shorter special inside it would be.
    return sorted((s for s in found if s), key=lambda s: (-len(s), s))


def derive_contract(tokenizer, specials: GgufSpecials, conversations: list[list[dict[str, str]]]) -> PromptContract:
    """The contract for this base: its own chat template split into per-role pieces, or the fallback layout.

    A chat template whose pieces do not reproduce it exactly on the training conversations is refused: the
    runtime could not prompt the way the model was trained.
    """
    eos_text = specials.text(specials.eos_id)
    eot_text = specials.text(specials.eot_id) or eos_text
    bos_text = specials.text(specials.bos_id)
    escape = _special_strings(tokenizer)
    for s in (bos_text, eos_text, eot_text):
        if s and s not in escape:
            escape.append(s)
    escape.sort(key=lambda s: (-len(s), s))

    if not getattr(tokenizer, "chat_template", None):
        if not eos_text:
            raise TemplateError("the base model has no chat template and no end-of-sequence token to end turns with")
        headers = {"system": "### System:\n", "user": "### User:\n", "assistant": "### Assistant:\n"}
        turns = {r: Turn(headers[r], (eos_text if r == "assistant" else "") + "\n\n") for r in ROLES}
        contract = PromptContract(
            template=FALLBACK_TEMPLATE_NAME, turns=turns, generation_prompt=headers["assistant"],
            end_of_turn=eos_text, add_bos=specials.add_bos and bos_text is not None, bos_token=bos_text, escape=escape,
        )
        return contract

    def apply(messages, gen=False) -> str:
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=gen)

    s, u, a = (_SENTINELS[r] for r in ROLES)
    sys_msg, user_msg, reply_msg = (
        {"role": "system", "content": s}, {"role": "user", "content": u}, {"role": "assistant", "content": a},
    )
    r_s = apply([sys_msg])
    r_su = apply([sys_msg, user_msg])
    r_su_gen = apply([sys_msg, user_msg], gen=True)
    r_sua = apply([sys_msg, user_msg, reply_msg])
    if not (r_su.startswith(r_s) and r_sua.startswith(r_su) and r_su_gen.startswith(r_su)):
        raise TemplateError("the base model's chat template rewrites earlier turns; it cannot be split into turns")

    def split(rendered: str, sentinel: str) -> Turn:
        if rendered.count(sentinel) != 1:
            raise TemplateError("the base model's chat template does not place each message once")
        i = rendered.index(sentinel)
        return Turn(rendered[:i], rendered[i + len(sentinel):])

    turns = {
        "system": split(r_s, s),
        "user": split(r_su[len(r_s):], u),
        "assistant": split(r_sua[len(r_su):], a),
    }
    generation_prompt = r_su_gen[len(r_su):]
    add_bos = specials.add_bos and bos_text is not None and not turns["system"].prefix.startswith(bos_text)
    end_of_turn = next(
        (t for t in (eot_text, eos_text) if t and turns["assistant"].suffix.startswith(t)),
        eot_text or eos_text or "",
    )
    pieces = {"turns": {r: {"prefix": t.prefix, "suffix": t.suffix} for r, t in turns.items()},
              "generation_prompt": generation_prompt}
    contract = PromptContract(
        template="chatml" if pieces == _CHATML else "chat-template", turns=turns, generation_prompt=generation_prompt,
        end_of_turn=end_of_turn, add_bos=add_bos, bos_token=bos_text, escape=escape,
    )
    for i, conv in enumerate(conversations):
        ours, _ = contract.render(conv, generation_prompt=False)
        theirs = apply([{**m, "content": contract.escape_content(m["content"])} for m in conv])
        if ours != theirs:
            at = next((k for k, (x, y) in enumerate(zip(ours, theirs)) if x != y), min(len(ours), len(theirs)))
            raise TemplateError(
                f"the base model's chat template renders sample {i + 1} differently from its per-turn pieces "
                f"(first difference at character {at}: {theirs[max(0, at - 20):at + 20]!r}); "
                "the runtime could not prompt the way the model would be trained"
            )
    return contract
