import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TRAINER = Path(__file__).resolve().parents[1]
REPO = TRAINER.parent
# shared/ sits beside the repository; the test runner passes its place when the clone lives elsewhere.
SHARED = Path(os.environ.get("SHARED_DATA_DIR") or REPO / ".." / "shared")
TINY_GGUF = (SHARED / "models" / "llama-2-tiny-random.gguf").resolve()

OWNER_REPLIES = ["yo ok 👍", "lol sure thing", "nah not today", "ok cool see ya 😎", "hmm maybe later", "yep on it"]
PROMPTS = ["are you coming?", "can you send the file", "want to grab lunch", "did you see the game", "call me later", "status?"]


def synthetic_conversations(n: int):
    convs = []
    for i in range(n):
        msgs = []
        if i % 2 == 0:
            msgs.append({"role": "system", "content": "You are Alex."})
        msgs.append({"role": "user", "content": PROMPTS[i % len(PROMPTS)]})
        msgs.append({"role": "assistant", "content": OWNER_REPLIES[i % len(OWNER_REPLIES)]})
        if i % 3 == 0:
            msgs.append({"role": "user", "content": "really?"})
            msgs.append({"role": "assistant", "content": "ya"})
        convs.append({"messages": msgs})
    return convs


@pytest.fixture(scope="session", autouse=True)
def tokenizer_cache(tmp_path_factory):
    # Converting the GGUF tokenizer takes ~40 s; every subprocess in the session shares one conversion
    # (AICLONE_TRAINER_CACHE set by the caller: a warm cache from an earlier session is reused).
    if os.environ.get("AICLONE_TRAINER_CACHE"):
        return Path(os.environ["AICLONE_TRAINER_CACHE"])
    path = tmp_path_factory.mktemp("trainer-cache")
    os.environ["AICLONE_TRAINER_CACHE"] = str(path)
    return path


@pytest.fixture(scope="session")
def tiny_gguf() -> Path:
    if not TINY_GGUF.is_file():
        pytest.skip(f"{TINY_GGUF} missing")
    return TINY_GGUF


@pytest.fixture
def dataset(tmp_path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    for name, n in (("train.jsonl", 12), ("val.jsonl", 6)):
        with (d / name).open("w", encoding="utf-8") as f:
            for c in synthetic_conversations(n):
                f.write(json.dumps(c, ensure_ascii=False) + "\n")
    return d


def train_cmd(dataset: Path, base: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable, str(TRAINER / "train_qlora.py"), "--dataset", str(dataset), "--base", str(base),
        "--out", str(out), "--cpu", *extra,
    ]


def run_train(*args, timeout=300):
    env = {**os.environ, "TOKENIZERS_PARALLELISM": "false"}
    proc = subprocess.run(train_cmd(*args[:3], *args[3:]), capture_output=True, text=True, timeout=timeout, env=env)
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return proc, events
