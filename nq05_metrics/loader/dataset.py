"""The dataset: every contract file of a folder read in contract order, references fed forward
(units → commodities → indicators → observations …), into a :class:`Dataset`.

A referenced table that is missing or has errors is not used for reference checks (that would
report every id as unknown); those checks run once it is fixed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from nq05_metrics.contract import TABLES, DataContractError, Problem, TableSpec, table_spec
from nq05_metrics.loader.cells import Refs
from nq05_metrics.loader.messages import message, problem
from nq05_metrics.loader.table import empty_frame, read_spec
from nq05_metrics.units import UnitRegistry, build_registry

#: A read dataset: frames per table name (rows with errors left out) and every problem.
Read = tuple[dict[str, pd.DataFrame], list[Problem]]


@dataclass(frozen=True, eq=False)
class Dataset:
    """All validated tables (see docs/ARCHITECTURE.md); codes are ``str``, years ``int``."""

    indicators: pd.DataFrame
    observations: pd.DataFrame
    #: plans (``plans.csv``) and their targets (``targets.csv``; empty unit = province 12)
    plans: pd.DataFrame
    targets: pd.DataFrame
    zones: pd.DataFrame
    bands: pd.DataFrame
    commodities: pd.DataFrame
    qualities: pd.DataFrame
    units: UnitRegistry
    data_dir: Path
    fingerprint: str
    notices: tuple[Problem, ...] = ()
    crosswalk: pd.DataFrame | None = None
    #: units of measure (``units_of_measure.csv``): unit, label_vi, label_en, decimals, additive
    measures: pd.DataFrame = field(default_factory=lambda: empty_frame(TABLES["measures"]))


#: Optional tables other tables refer to: absent, they are empty (a reference to one is unknown).
REFERRED = {s.name for s in TABLES.values() if s.optional_file
            and any(c.ref == s.name for t in TABLES.values() for c in t.columns)}


def registry_from_frame(units: pd.DataFrame) -> UnitRegistry:
    """A :class:`UnitRegistry` from a loaded ``units`` frame."""
    return build_registry(units)


def file_bytes(data_dir: Path) -> dict[str, bytes | None]:
    """Bytes of every contract file in ``data_dir``, keyed by table name (None when absent)."""
    out: dict[str, bytes | None] = {}
    for spec in TABLES.values():
        path = Path(data_dir) / spec.file
        out[spec.name] = path.read_bytes() if path.is_file() else None
    return out


def fingerprint(files: dict[str, bytes | None]) -> str:
    """sha256 over each file's name, length and bytes, in contract order."""
    digest = hashlib.sha256()
    for spec in TABLES.values():
        raw = files.get(spec.name)
        digest.update(spec.file.encode() + b"\0")
        digest.update(b"absent" if raw is None else str(len(raw)).encode() + b"\0" + raw)
    return digest.hexdigest()


def missing_file_problem(spec: TableSpec) -> Problem:
    """The error for an absent required file: which file, and the columns it must have."""
    msg = message("missing_file", "missing_file_fix", file=spec.file,
                  columns=", ".join(spec.column_names))
    return problem(spec.file, None, None, msg)


def dependents(changed: set[str]) -> set[str]:
    """The tables in ``changed`` and every table whose cells refer to one of them, directly or
    through another (``indicators`` → ``observations``, ``targets``)."""
    out = {table_spec(name).name for name in changed}
    for spec in TABLES.values():  # contract order is reference order
        if any(col.ref in out for col in spec.columns):
            out.add(spec.name)
    return out


def next_refs(refs: Refs, name: str, frame: pd.DataFrame) -> Refs:
    """References available after reading table ``name`` without errors."""
    if name == "units":
        return replace(refs, units=registry_from_frame(frame))
    if name == "commodities":
        return replace(refs, commodities=frozenset(frame["commodity"]))
    if name == "indicators":
        return replace(refs, indicators=frame)
    if name == "crosswalk":
        return replace(refs, crosswalk=frame)
    return replace(refs, tables={**refs.tables, name: frame})


def read_files(
    files: dict[str, bytes | None],
    reuse: Read | None = None,
    changed: set[str] | None = None,
) -> Read:
    """Read a whole dataset given as bytes per table name (None = file absent).

    The same reading as :func:`load_dataset` without the file system: frames per table (rows
    with errors left out) and every problem, errors and warnings, in contract order.

    With ``reuse`` (an earlier result of this function) and ``changed`` (table names whose bytes
    differ from those it was read from), only the changed tables and the tables that refer to
    them (:func:`dependents`) are read again; the others, and their problems, are taken from
    ``reuse``. The result equals reading every file."""
    redo = None if reuse is None or changed is None else dependents(changed)
    frames: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    refs = Refs()
    for spec in TABLES.values():
        raw = files.get(spec.name)
        if redo is not None and reuse is not None and spec.name not in redo:
            frame = reuse[0][spec.name]
            own = [p for p in reuse[1] if p.file == spec.file]
        elif raw is None:
            frame = empty_frame(spec)
            own = [] if spec.optional_file else [missing_file_problem(spec)]
        else:
            result = read_spec(spec, raw, refs, spec.file)
            frame, own = result.frame, result.problems
        frames[spec.name] = frame
        problems.extend(own)
        if raw is not None and not any(p.is_error for p in own):
            refs = next_refs(refs, spec.name, frame)
        elif raw is None and spec.name in REFERRED:  # an absent table refers to nothing
            refs = next_refs(refs, spec.name, frame)
    return frames, problems


def validate_dataset(data_dir: Path) -> list[Problem]:
    """Every problem (errors and warnings) of every file in ``data_dir``; [] when all is well."""
    return read_files(file_bytes(Path(data_dir)))[1]


@dataclass(frozen=True, eq=False)
class FolderRead:
    """One parse of a data folder: the :func:`fingerprint` of its files and :func:`read_files`'s
    frames and problems. The app caches one per folder state; the upload check reuses it instead
    of parsing the folder again (the bytes are not kept: a check reads them fresh anyway)."""

    data_dir: Path
    fingerprint: str
    read: Read


def read_folder(data_dir: Path) -> FolderRead:
    """Read every contract file of ``data_dir`` once (never raises on bad content)."""
    data_dir = Path(data_dir)
    files = file_bytes(data_dir)
    return FolderRead(data_dir, fingerprint(files), read_files(files))


def dataset_from(folder: FolderRead) -> Dataset:
    """The :class:`Dataset` of a folder read; :class:`DataContractError` with every problem
    when any is an error. Warnings that did not stop loading are kept in ``Dataset.notices``."""
    frames, problems = folder.read
    if any(p.is_error for p in problems):
        raise DataContractError(problems)
    return Dataset(
        indicators=frames["indicators"],
        observations=frames["observations"],
        plans=frames["plans"],
        targets=frames["targets"],
        zones=frames["zones"],
        bands=frames["bands"],
        commodities=frames["commodities"],
        qualities=frames["qualities"],
        units=registry_from_frame(frames["units"]),
        data_dir=folder.data_dir,
        fingerprint=folder.fingerprint,
        notices=tuple(problems),
        crosswalk=frames["crosswalk"],
        measures=frames["measures"],
    )


def load_dataset(data_dir: Path) -> Dataset:
    """Load and validate ``data_dir``; raise :class:`DataContractError` with every problem.

    Warnings that did not stop loading are kept in ``Dataset.notices``."""
    return dataset_from(read_folder(data_dir))
