""".zip archives of any supported format, with guards against zip bombs and odd paths.

Nothing is extracted to disk: members are read into memory, each capped, and the total of
what is inflated is counted as it is read (headers can lie about sizes).
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from io import BytesIO
from typing import TYPE_CHECKING

from articles.importing.types import (
    Fetcher,
    ImportFailure,
    ImportRejection,
    ReadResult,
    format_size,
    is_skipped_member,
)

if TYPE_CHECKING:
    from articles.importing.formats import Limits
    from articles.importing.types import Reader


def _unsafe_member_name(name: str) -> bool:
    normalised = name.replace("\\", "/")
    return (
        normalised.startswith("/")
        or (len(normalised) > 1 and normalised[1] == ":")
        or ".." in posixpath.normpath(normalised).split("/")
        or ".." in normalised.split("/")
    )


def read_zip(
    data: bytes, *, name: str, source: str, fetch: Fetcher | None, limits: Limits, read: Reader
) -> Iterator[ReadResult]:
    """Read each member of a .zip archive with ``read`` (the readers' dispatcher)."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise ImportFailure(f"{name}: not a readable .zip archive ({exc})") from None
    if len(members) > limits.zip_max_members:
        raise ImportFailure(
            f"{name}: {len(members)} files in the archive, more than the limit of "
            f"{limits.zip_max_members}"
        )
    # Headers can lie about sizes: check the claimed total first, then count what we inflate.
    claimed = sum(m.file_size for m in members)
    if claimed > limits.batch_max_bytes:
        raise ImportFailure(
            f"{name}: unpacks to {format_size(claimed)}, more than the "
            f"{format_size(limits.batch_max_bytes)} limit for an archive"
        )
    total = 0
    found = False
    for member in members:
        member_name = member.filename
        origin = f"{name}:{member_name}"
        if member.is_dir():
            continue
        if is_skipped_member(member_name) or member_name.startswith("__MACOSX/"):
            continue  # Finder and editor droppings, README/LICENSE files: not articles
        found = True
        if _unsafe_member_name(member_name):
            yield ImportRejection(origin=origin, reason="unsafe path in archive (absolute or '..')")
            continue
        if member.flag_bits & 0x1:
            yield ImportRejection(
                origin=origin, reason="encrypted archive members are not imported"
            )
            continue
        cap = limits.cap_for(member_name)
        if member.file_size > cap:
            yield ImportRejection(origin=origin, reason=f"larger than the {format_size(cap)} limit")
            continue
        try:
            with archive.open(member) as handle:
                # Read one byte past the cap: a lying header cannot make us inflate more.
                content = handle.read(cap + 1)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
            yield ImportRejection(origin=origin, reason=f"cannot be unpacked ({exc})")
            continue
        if len(content) > cap:
            yield ImportRejection(origin=origin, reason=f"larger than the {format_size(cap)} limit")
            continue
        total += len(content)
        if total > limits.batch_max_bytes:
            raise ImportFailure(
                f"{name}: unpacks to more than the {format_size(limits.batch_max_bytes)} limit"
            )
        yield from read(
            content, name=origin, source=source, fetch=fetch, limits=limits, in_archive=True
        )
    if not found:
        raise ImportFailure(f"{name}: the archive contains no article files")
