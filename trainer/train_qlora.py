#!/usr/bin/env python3
"""Entry point: see `python trainer/train_qlora.py --help` and trainer/README.md."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from aiclone_trainer.cli import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
