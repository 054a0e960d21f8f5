"""Real North Carolina names (../shared/data/ncvr): F1 of linking party 0 to party 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from targetshare.matching.evaluate import ncvr_f1

DATA = Path(__file__).parents[2] / ".." / "shared" / "data"


@pytest.mark.skipif(not (DATA / "ncvr").is_dir(),
                    reason="../shared/data/ncvr is absent (a fresh clone): NCVR F1 test skipped")
def test_f1_on_ncvr_with_20_percent_corrupted_records():
    figures = ncvr_f1(DATA, 20)
    assert figures["f1"] >= 0.95, figures
    assert figures["precision"] >= 0.99, figures
