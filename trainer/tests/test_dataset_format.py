"""The dataset folder format, declared once in domain/artifacts/datasetFormat.schema.json (the pipeline's
TypeScript tests check that a built dataset meets it): what the schema allows is what the trainer reads."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from aiclone_trainer.data import DatasetError, load_jsonl, load_samples
from aiclone_trainer.train import _dataset_stats, dataset_system_prompt

from arch_fixtures import write_dataset
from conftest import REPO, synthetic_conversations

SCHEMA = json.loads((REPO / "domain" / "artifacts" / "datasetFormat.schema.json").read_text(encoding="utf-8"))


def validator(definition: str | None = None) -> Draft202012Validator:
    """The whole folder's schema, or one of its definitions (`sample`, `stats`) with the rest to refer to."""
    schema = SCHEMA if definition is None else {**SCHEMA, "$ref": f"#/$defs/{definition}"}
    if definition is not None:
        schema = {k: v for k, v in schema.items() if k not in ("required", "properties", "additionalProperties", "type")}
    return Draft202012Validator(schema)


def stats_json(**changes) -> dict:
    """A stats.json as the pipeline writes it (every required field), with `changes` on top."""
    stats = {
        "owner": {"id": "user1", "ids": ["user1"], "name": "Alex"},
        "messagesRead": 30,
        "ownerMessages": 12,
        "samples": 12,
        "trainSamples": 10,
        "valSamples": 2,
        "heldOut": {"source": "sessions", "reason": None},
        "systemPrompt": "You are Alex.",
        "dropped": {"empty": 1},
        "droppedSamples": {},
        "truncatedMessages": 0,
        "cutSessions": 0,
        "redacted": {"email": 1, "phone": 0},
        "chats": [
            {
                "id": "100", "name": "Sam", "type": "personal", "source": "result.json",
                "messages": 30, "ownerMessages": 12, "samples": 12, "skipped": None,
            }
        ],
        "skippedInputs": {"total": 0, "byReason": {}, "examples": []},
        "styleProfile": {
            "messages": 12, "medianLength": 9, "meanLength": 10.5, "emojiPerMessage": 0.2,
            "emojiMessageShare": 0.2, "lowercaseStartShare": 0.9, "endings": {"none": 1},
            "burstShare": 0, "burstTurnShare": 0, "languages": {"en": 1},
        },
        "options": {"valFraction": 0.1, "sessionGapHours": 6, "systemPrompt": "You are {name}."},
    }
    stats.update(changes)
    return stats


def test_the_schema_is_a_valid_json_schema():
    Draft202012Validator.check_schema(SCHEMA)


def test_the_trainer_test_datasets_meet_the_format(tmp_path, dataset):
    samples = validator("sample")
    folders = [dataset, write_dataset(tmp_path / "arch")]
    for folder in folders:
        for name in ("train.jsonl", "val.jsonl"):
            for line in (folder / name).read_text(encoding="utf-8").splitlines():
                errors = [e.message for e in samples.iter_errors(json.loads(line))]
                assert errors == [], f"{folder / name}: {errors}"


VALID_SAMPLES = [
    {"messages": [{"role": "assistant", "content": "hi"}]},
    # An opener: a conversation the owner started, with no user turn before it.
    {"messages": [{"role": "system", "content": "You are Alex."}, {"role": "assistant", "content": "hey, free tonight?"}]},
    {"messages": [{"role": "system", "content": "You are Alex."}, {"role": "user", "content": "yo"},
                  {"role": "assistant", "content": "ok 👍"}]},
    *synthetic_conversations(4),
    # A correction: the owner's text as the reply, weighted.
    {"messages": [{"role": "user", "content": "yo"}, {"role": "assistant", "content": "ya sure"}],
     "source": "correction", "correctionId": "c1", "weight": 2.5},
]
INVALID_SAMPLES = [
    {"messages": [{"role": "assistant", "content": "hi"}], "weight": 0},
    {"messages": [{"role": "assistant", "content": "hi"}], "weight": 11},
    {"messages": [{"role": "assistant", "content": "hi"}], "weight": "2"},
    {"messages": []},
    {"messages": [{"role": "user", "content": "nothing to learn from"}]},
    {"messages": [{"role": "bot", "content": "x"}, {"role": "assistant", "content": "y"}]},
    {"messages": [{"role": "assistant", "content": 3}]},
    {"messages": [{"role": "assistant"}]},
    {"text": "not chat messages"},
    ["messages"],
]


@pytest.mark.parametrize("sample", VALID_SAMPLES)
def test_a_sample_the_schema_allows_is_one_the_trainer_loads(tmp_path, sample):
    assert list(validator("sample").iter_errors(sample)) == []
    path = tmp_path / "train.jsonl"
    path.write_text(json.dumps(sample, ensure_ascii=False) + "\n", encoding="utf-8")
    assert load_jsonl(path) == [sample["messages"]]
    assert load_samples(path) == [(sample["messages"], float(sample.get("weight", 1)))]


@pytest.mark.parametrize("sample", INVALID_SAMPLES)
def test_a_sample_the_schema_refuses_is_one_the_trainer_refuses(tmp_path, sample):
    assert list(validator("sample").iter_errors(sample)) != []
    path = tmp_path / "train.jsonl"
    path.write_text(json.dumps(sample) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError):
        load_jsonl(path)


def test_stats_with_opener_counts_validate_and_bad_ones_do_not():
    stats = validator("stats")
    assert list(stats.iter_errors(stats_json(openers={"samples": 3, "messages": 5}))) == []
    assert list(stats.iter_errors(stats_json(openers={"samples": -1, "messages": 5}))) != []


def test_the_stats_fields_the_trainer_reads_are_declared_as_it_reads_them(tmp_path):
    stats_schema = SCHEMA["$defs"]["stats"]
    assert {"systemPrompt", "heldOut"} <= set(stats_schema["required"])
    # train.py scores only the last reply of each val sample when heldOut.source is "turns".
    assert "turns" in stats_schema["properties"]["heldOut"]["properties"]["source"]["enum"]
    stats = validator("stats")
    for written in (stats_json(), stats_json(systemPrompt=None, heldOut={"source": "turns", "reason": None})):
        assert list(stats.iter_errors(written)) == []
        folder = tmp_path / f"ds-{written['heldOut']['source']}"
        folder.mkdir()
        (folder / "stats.json").write_text(json.dumps(written), encoding="utf-8")
        read = _dataset_stats(folder)
        assert read == written
        assert dataset_system_prompt(read, [[{"role": "system", "content": "other"}]]) == written["systemPrompt"]
    assert list(stats.iter_errors(stats_json(heldOut={"source": "random", "reason": None}))) != []
    assert list(stats.iter_errors(stats_json(systemPrompt=3))) != []


def test_a_whole_folder_validates_as_one_document(dataset):
    folder = {
        name: [json.loads(line) for line in (dataset / name).read_text(encoding="utf-8").splitlines()]
        for name in ("train.jsonl", "val.jsonl")
    }
    folder["stats.json"] = stats_json()
    assert list(validator().iter_errors(folder)) == []
    assert list(validator().iter_errors({**folder, "train.jsonl": []})) != []
    assert Path(REPO / "domain" / "artifacts" / "datasetFormat.schema.json").is_file()
