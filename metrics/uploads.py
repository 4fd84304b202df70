"""Uploaded files on disk: the Data page keeps a copy of each upload in the system's
temporary folder (`TMPDIR`) while it is used, since the readers need a file, and removes
the copies nobody has used for a day.

A session ends without telling the page, and each copy may be 200 MB: so the next upload
sweeps the folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

PREFIX = "dashboard-upload-"
STALE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class SavedUpload:
    """An upload's copy on disk, and the id of the upload it copies."""
    file_id: str
    path: Path

    def is_current(self, file_id: str) -> bool:
        return self.file_id == file_id and self.path.is_file()

    def touch(self) -> None:
        """In use: the sweep leaves it alone for another day."""
        os.utime(self.path.parent)

    def remove(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)


def save_upload(data: BinaryIO, name: str, file_id: str) -> SavedUpload:
    """Copy an upload into a folder of its own, under its own name (so messages name it)."""
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    path = folder / (Path(name).name or "upload.csv")
    data.seek(0)
    with path.open("wb") as fh:
        shutil.copyfileobj(data, fh)
    return SavedUpload(file_id, path)


def remove_stale_uploads(now: float | None = None, older_than: float = STALE_SECONDS) -> list[Path]:
    """Remove the copies of uploads that nobody has used for `older_than` seconds; returns the
    folders removed. Safe even for a session that comes back: its upload widget still holds
    the file, and the page saves it again."""
    now = time.time() if now is None else now
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(PREFIX + "*"):
        try:
            if now - folder.stat().st_mtime > older_than:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
        except OSError:
            continue  # removed by another session meanwhile
    return removed
