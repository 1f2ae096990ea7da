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


def test_upload_names_are_never_paths(tmp_path: Path, monkeypatch) -> None:
    """An upload is read in memory: nothing is written anywhere, whatever its name says,
    and problems name the uploaded file by its own name."""
    import sys

    sys.path.insert(0, str(ROOT / "app"))
    from gaitkeeper_ui.uploads import Source, is_known_upload

    from recommender import ReadProblem

    assert not is_known_upload("../../etc/passwd") and not is_known_upload("x.exe")
    assert is_known_upload("../../../evil.CSV")
    monkeypatch.chdir(tmp_path)
    assert Source("inventory", "../../../tmp/evil.csv", data=b"sku\nA1\n").raw().height == 1
    with pytest.raises(ReadProblem) as err:
        Source("inventory", "../../../tmp/evil.csv", data=b"\x1f\x8b\x08junk").raw()
    assert str(err.value).startswith("../../../tmp/evil.csv: is gzip-compressed")
    assert list(tmp_path.iterdir()) == []  # nothing was written


def test_uploaded_profile_text_problems_are_field_errors() -> None:
    from recommender import ProfileError
    from recommender.validate.profile import profile_from_json

    for data, words in [(b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
                        (b"\xff{}", "not UTF-8"), (b"{", "not valid JSON"),
                        (b'{"age": NaN}', "age: nan is not a finite number")]:
        with pytest.raises(ProfileError) as err:
            profile_from_json(data, source="upload")
        assert words in str(err.value)
    assert profile_from_json("\ufeff{}".encode()).runner_id == "runner"
