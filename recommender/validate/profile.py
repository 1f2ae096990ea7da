"""Profile parsing: nested JSON (SPEC §2.1) or a flat row (SPEC §2.2) → :class:`Profile`,
every violation named by its dotted field (or flat column), in the words of
:mod:`recommender.validate.messages`."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from ..errors import FieldError, ProfileError
from ..spec.profile import BY_COLUMN, BY_PATH, Profile, profile_to_dict, set_path
from ..spec.vocab import ColumnSpec
from . import messages as M
from .values import check_value, parse_text_value

#: Unknown keys named one by one per object; the rest are counted.
MAX_UNKNOWN_SHOWN = 20


def _build(cls: type, data: Mapping[str, Any], prefix: str, errors: list[FieldError],
           defaulted: set[str]) -> Any:
    fields = {f.name: f for f in dataclasses.fields(cls) if "parsed" not in f.metadata}
    unknown = [key for key in data if key not in fields]
    for key in unknown[:MAX_UNKNOWN_SHOWN]:
        shown = str(key) if len(str(key)) <= 60 else f"{str(key)[:60]}…"
        errors.append(FieldError(f"{prefix}{shown}",
                                 f"{M.UNKNOWN_FIELD} (allowed: {', '.join(fields)})"))
    if len(unknown) > MAX_UNKNOWN_SHOWN:  # a message, never a document
        errors.append(FieldError(f"{prefix}…", M.too_many_unknown(
            len(unknown) - MAX_UNKNOWN_SHOWN)))
    kwargs: dict[str, Any] = {}
    for name, f in fields.items():
        path = f"{prefix}{name}"
        raw = data.get(name)
        if "section" in f.metadata:
            if raw is None:
                defaulted.update(_with_default(f.metadata["section"], f"{path}."))
                continue
            if not isinstance(raw, Mapping):
                errors.append(FieldError(path, M.with_value(M.NOT_OBJECT, raw)))
                continue
            kwargs[name] = _build(f.metadata["section"], raw, f"{path}.", errors, defaulted)
            continue
        spec: ColumnSpec = f.metadata["spec"]
        value, err = check_value(spec, raw) if name in data else (None, None)
        if err:
            errors.append(FieldError(path, err))
        elif value is not None:
            kwargs[name] = value
        elif spec.default is not None and not spec.required:
            defaulted.add(path)
    return cls(**kwargs)


def _with_default(cls: type, prefix: str) -> set[str]:
    """The dotted paths under a section left out whole that have a documented default."""
    out: set[str] = set()
    for f in dataclasses.fields(cls):
        if "section" in f.metadata:
            out |= _with_default(f.metadata["section"], f"{prefix}{f.name}.")
        elif "spec" in f.metadata and f.metadata["spec"].default is not None \
                and not f.metadata["spec"].required:
            out.add(f"{prefix}{f.name}")
    return out


def parse_profile(data: Any, source: str | None = None) -> Profile:
    """Nested JSON object (SPEC §2.1) → :class:`Profile`, or :class:`ProfileError`."""
    if not isinstance(data, Mapping):
        raise ProfileError([FieldError("(profile)", "expected a JSON object")], source)
    errors: list[FieldError] = []
    defaulted: set[str] = set()
    prof = _build(Profile, data, "", errors, defaulted)
    if errors:
        raise ProfileError(errors, source)
    return dataclasses.replace(prof, defaulted=frozenset(defaulted)) if defaulted else prof


class _DuplicateKey(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def loads_strict(text: str) -> Any:
    """``json.loads`` that refuses a key given twice in one object (the last would silently
    win: ``severity`` 9 then 2 must not read as 2), numbers too long to be numbers, and
    lone surrogates. Raises ``ValueError`` with a plain message."""
    import json

    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except _DuplicateKey as exc:
        raise ValueError(f"the key {str(exc)[:60]!r} is given twice in one object") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
                         ) from None
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    except ValueError as exc:  # e.g. a 5,000-digit integer
        raise ValueError(f"not usable JSON: {str(exc)[:120]}") from None


def profile_from_json(data: bytes | str, source: str | None = None) -> Profile:
    """JSON text or bytes (UTF-8, an optional BOM) → :class:`Profile`; every problem, of
    the text or of a field, is a :class:`ProfileError`. Files and app uploads both use it."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
        text.encode("utf-8")  # a lone surrogate cannot be stored or shown
        obj = loads_strict(text)
    except UnicodeError as exc:
        reason = getattr(exc, "reason", str(exc))
        raise ProfileError([FieldError("(file)", f"not UTF-8 text ({reason})")], source) from None
    except ValueError as exc:
        raise ProfileError([FieldError("(file)", str(exc))], source) from None
    return parse_profile(obj, source=source)


def profile_from_flat(row: Mapping[str, Any], source: str | None = None) -> Profile:
    """A flat row (column → text or typed value) → :class:`Profile`.

    Text cells are parsed as in files (``yes``/``1``/``true``, ``;``-lists); typed values
    are checked as in JSON. Errors name the flat column.
    """
    errors: list[FieldError] = []
    nested: dict[str, Any] = {}
    for col, raw in row.items():
        ref = BY_COLUMN.get(col)
        if ref is None:
            errors.append(FieldError(col, M.UNKNOWN_COLUMN))
            continue
        if isinstance(raw, str) and ref.spec.kind != "str":
            value, err = parse_text_value(ref.spec, raw)
        else:
            value, err = check_value(ref.spec, list(raw) if isinstance(raw, tuple) else raw)
        if err:
            errors.append(FieldError(col, err))
            continue
        if value is not None:
            set_path(nested, ref.path, value)
    if errors:
        raise ProfileError(errors, source)
    return parse_profile(nested, source)




def replace(profile: Profile, **changes: Any) -> Profile:
    """A copy of ``profile`` with dotted-path changes, checked like parsed input:
    ``replace(p, **{"strength.weeks_consistent": 8})``."""
    data = profile_to_dict(profile)
    for path, value in changes.items():
        if path not in BY_PATH:
            raise ProfileError([FieldError(path, M.UNKNOWN_FIELD)])
        set_path(data, path, value)
    return parse_profile(data)


