"""Mapping files (spec 1.2): how another system's export names its columns and values."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

import duckdb
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from metrics.fields import CASE_FIELDS, CATALOGUE_FIELDS

ENUM_TARGETS = {
    "channel": ("online", "window", "other"),
    "status": ("completed", "in_progress", "rejected", "withdrawn"),
    "item_type": ("instant", "committed"),
    "window_signed": ("true", "false"),
    "rating": ("1", "2", "3", "4", "5"),
    # The catalogue's yes/no columns: each has its own words, so a case log's words for
    # window sign-off never turn into a catalogue item's must-enter or exempt flag.
    "must_enter": ("true", "false"),
    "exempt": ("true", "false"),
}


class MappingError(ValueError):
    pass


class MappingOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    calendar: Literal["cn", "weekdays"] | None = None
    blank: list[str] = []
    datetime_format: str | None = None

    @field_validator("datetime_format")
    @classmethod
    def _valid_format(cls, fmt: str | None) -> str | None:
        # The importer parses with DuckDB's strptime: ask it, so a bad format fails here,
        # with the mapping file named, not half-way through an import.
        if fmt is not None:
            try:
                duckdb.execute("SELECT try_strptime('2025-07-01', ?)", [fmt]).fetchall()
            except duckdb.Error as e:
                raise ValueError(f"{fmt!r} is not a timestamp format DuckDB understands "
                                 f"(e.g. %m/%d/%Y %I:%M:%S %p): {str(e).splitlines()[0]}") from None
        return fmt


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid")
    columns: dict[str, str] = {}
    values: dict[str, dict[str, list[str]]] = {}
    options: MappingOptions = MappingOptions()

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, cols: dict[str, str]) -> dict[str, str]:
        known = {f.name for f in CASE_FIELDS} | {f.name for f in CATALOGUE_FIELDS} | {"category"}  # departments
        unknown = sorted(set(cols) - known)
        if unknown:
            raise ValueError(f"unknown field(s) {unknown}; known: {sorted(known)}")
        return cols

    @field_validator("values")
    @classmethod
    def _known_values(cls, values: dict[str, dict[str, list[str]]]) -> dict[str, dict[str, list[str]]]:
        for field, targets in values.items():
            if field not in ENUM_TARGETS:
                raise ValueError(f"[values.{field}]: only {sorted(ENUM_TARGETS)} have value maps")
            bad = sorted(set(targets) - set(ENUM_TARGETS[field]))
            if bad:
                raise ValueError(f"[values.{field}]: unknown value(s) {bad}; use {list(ENUM_TARGETS[field])}")
        return values

    def to_toml(self) -> str:
        """The mapping as a TOML file, so the import page can save what it was given."""
        def q(s: str) -> str:
            return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
        lines = ["[columns]"] + [f"{k} = {q(v)}" for k, v in self.columns.items()]
        for field, targets in self.values.items():
            lines += ["", f"[values.{field}]"]
            lines += [f"{t} = [{', '.join(q(s) for s in srcs)}]" for t, srcs in targets.items()]
        opts = self.options
        lines += ["", "[options]"]
        if opts.calendar:
            lines.append(f"calendar = {q(opts.calendar)}")
        if opts.blank:
            lines.append(f"blank = [{', '.join(q(s) for s in opts.blank)}]")
        if opts.datetime_format:
            lines.append(f"datetime_format = {q(opts.datetime_format)}")
        return "\n".join(lines) + "\n"


def parse_mapping(text: str, source: str = "mapping") -> Mapping:
    try:
        return Mapping.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as e:
        raise MappingError(f"{source}: not valid TOML: {e}") from None
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise MappingError(f"{source}: {where}: {first['msg']}") from None


def load_mapping(path: Path | None) -> Mapping:
    if path is None:
        return Mapping()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise MappingError(f"{path}: cannot read the mapping file ({e.strerror})") from None
    return parse_mapping(text, str(path))
