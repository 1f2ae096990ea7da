"""App and library hardening (issue 7): no code execution of user input, an upload size
limit, and uploads written under names the program chooses."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*ROOT.joinpath("app").rglob("*.py"), *ROOT.joinpath("recommender").rglob("*.py")])


@pytest.mark.parametrize("pattern", [r"\bpickle\b", r"(?<![.\w])eval\(", r"(?<![.\w])exec\(",
                                     r"unsafe_allow_html\s*=\s*True", r"yaml\.load\(",
                                     r"subprocess", r"os\.system"])
def test_no_dangerous_calls(pattern: str) -> None:
    hits = [f"{p.relative_to(ROOT)}:{i}" for p in SOURCES
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if re.search(pattern, line)]
    assert hits == []


def test_upload_size_limit() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert 0 < config["server"]["maxUploadSize"] <= 200


def test_upload_names_are_never_paths(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "app"))
    from gaitkeeper_ui.uploads import Source, upload_suffix

    assert upload_suffix("../../etc/passwd") is None and upload_suffix("x.exe") is None
    assert upload_suffix("../../../evil.CSV") == ".csv"
    evil = Source("inventory", "../../../tmp/evil.csv", data=b"sku\n",
                  suffix=upload_suffix("../../../evil.csv"))
    written = Path(evil.materialise(str(tmp_path)))
    assert written.parent == tmp_path and written.name == "inventory.csv"
    assert written.read_bytes() == b"sku\n"


def test_uploaded_profile_text_problems_are_field_errors() -> None:
    from recommender.profile import ProfileError, profile_from_json

    for data, words in [(b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
                        (b"\xff{}", "not UTF-8"), (b"{", "not valid JSON"),
                        (b'{"age": NaN}', "age: nan is not a finite number")]:
        with pytest.raises(ProfileError) as err:
            profile_from_json(data, source="upload")
        assert words in str(err.value)
    assert profile_from_json("\ufeff{}".encode()).runner_id == "runner"
