"""Reading the data files (content/data/*.yml) into validated data.

``validate_all(data_dir, langs)`` returns every problem of every file (for
`invoke check`, without building); ``load_all(data_dir, langs)`` returns the
data or raises the first error, and logs the warnings. Each file is read
with ``sitekit.core.yamlfile.read_yaml``, checked against its schema
(``schemas``), then against the other files (``crosscheck``)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field, TypeAdapter, ValidationError

from sitekit.core.errors import ContentError
from sitekit.core.yamlfile import read_yaml

from . import crosscheck, schemas
from .messages import content_errors

log = logging.getLogger(__name__)

SCHEMAS = {
    "regions.yml": TypeAdapter(Annotated[list[schemas.Region], Field(min_length=1)]),
    "contacts.yml": TypeAdapter(schemas.ContactsFile),
    "hotline.yml": TypeAdapter(schemas.HotlineFile),
    "opcat.yml": TypeAdapter(schemas.OpcatFile),
}
FILES = tuple(SCHEMAS)


def read_file(path: Path, langs: Sequence[str]):
    """(data, raw YAML, errors) of one file against its schema."""
    try:
        raw = read_yaml(path)
    except ContentError as exc:
        return None, None, [exc]
    try:
        return SCHEMAS[path.name].validate_python(raw, context={"langs": tuple(langs)}), raw, []
    except ValidationError as exc:
        return None, raw, content_errors(exc, path, raw, schemas.SHAPES[path.name])


@dataclass
class SiteData:
    regions: list | None = None
    contacts: schemas.ContactsFile | None = None
    hotline: schemas.HotlineFile | None = None
    opcat: schemas.OpcatFile | None = None


def _needs(path: Path, other: str) -> ContentError:
    return ContentError(path, "file", f"not checked: it needs {other}, which is missing or has errors")


# Each file: the SiteData field it fills, the field it needs filled first,
# and its checks against the other files.
_STEPS = (
    (
        "regions.yml",
        "regions",
        None,
        lambda path, value, raw, data: crosscheck.check_regions(path, value, raw),
    ),
    (
        "contacts.yml",
        "contacts",
        "regions",
        lambda path, value, raw, data: crosscheck.check_contacts(
            path, value, raw, crosscheck.region_codes(data.regions)
        ),
    ),
    (
        "hotline.yml",
        "hotline",
        "contacts",
        lambda path, value, raw, data: crosscheck.check_hotline(path, value, raw, data.contacts.contacts),
    ),
    ("opcat.yml", "opcat", None, lambda path, value, raw, data: crosscheck.check_opcat(path, value, raw)),
)


def read_all(data_dir, langs: Sequence[str]) -> tuple[SiteData, list[ContentError]]:
    """Every file that is there, checked alone and against the others.
    Returns the data (a file with errors is None) and every problem
    (``crosscheck.DataWarning`` for those that must not stop a build)."""
    data_dir = Path(data_dir)
    data, problems = SiteData(), []
    for name, field, needs, check in _STEPS:
        path = data_dir / name
        if not path.exists():
            continue
        value, raw, errors = read_file(path, langs)
        problems.extend(errors)
        if errors:
            continue
        if needs and getattr(data, needs) is None:
            problems.append(_needs(path, f"{needs}.yml"))
            continue
        found = check(path, value, raw, data)
        problems.extend(found)
        if not errors_only(found):
            setattr(data, field, value)
    return data, problems


def errors_only(problems: list[ContentError]) -> list[ContentError]:
    return [p for p in problems if not isinstance(p, crosscheck.DataWarning)]


def validate_all(data_dir, langs: Sequence[str]) -> list[ContentError]:
    """Every problem in every data file, warnings included (for `invoke check`)."""
    return read_all(data_dir, langs)[1]


def load_all(data_dir, langs: Sequence[str]) -> SiteData:
    """The data of every file present; raises the first error, logs the
    warnings. Call it once per build (``BuildContext.once``)."""
    data, problems = read_all(data_dir, langs)
    errors = errors_only(problems)
    if errors:
        raise errors[0]
    for warning in problems:
        log.warning("%s", warning)
    return data


def load_regions(path, langs: Sequence[str]) -> list[schemas.Region]:
    """regions.yml alone (events refer to its codes); raises the first error."""
    path = Path(path)
    regions, raw, errors = read_file(path, langs)
    errors = errors or crosscheck.check_regions(path, regions, raw)
    if errors:
        raise errors[0]
    return regions
