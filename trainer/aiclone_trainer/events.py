"""Progress protocol: one JSON object per line on the process's real stdout.

Everything else a library prints (warnings, download bars, logging) goes to stderr, so the
platform can parse stdout line by line without filtering. See trainer/README.md for the events.
"""

from __future__ import annotations

import json
import math
import sys
import threading
from typing import Any, TextIO

_lock = threading.Lock()
_stream: TextIO = sys.stdout


def claim_stdout() -> None:
    """Keep the real stdout for events and send anything else printed to stderr."""
    global _stream
    _stream = sys.stdout
    sys.stdout = sys.stderr


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def emit(event: str, **fields: Any) -> None:
    line = json.dumps(_clean({"event": event, **fields}), ensure_ascii=False, allow_nan=False)
    with _lock:
        _stream.write(line + "\n")
        _stream.flush()
