"""GB18030/GBK exports turned into UTF-8 before the CSV reader sees them, on every core.

pyarrow decodes a non-UTF-8 CSV through Python's codec, on one thread and holding the GIL:
on 10 million rows that was a third of the import. Here the file is cut at line ends into
one stretch per core; a worker process per stretch decodes it piece by piece into a part
file, and the parts are joined into one UTF-8 copy. A line end (byte 0x0A) is never part
of a GB18030 character, so every cut falls between characters, and the copy has exactly
the lines of the original.

The workers are plain `python -m metrics.transcode` processes: the importer runs inside a
threaded server, which must not be forked, and multiprocessing's spawn would re-run
whatever script started the server.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PIECE_BYTES = 32 * 1024 * 1024     # what a worker decodes at a time: its memory stays small
MIN_PARALLEL_BYTES = 64 * 1024 * 1024  # below this, starting processes costs more than it saves
SCRATCH_PREFIX = "import_utf8_"
_OWNER_FILE = "owner.pid"
_ROOT = Path(__file__).resolve().parent.parent


class UndecodableLine(ValueError):
    """Bytes that are not text in the encoding; `line` counts from 1 over the whole file."""

    def __init__(self, line: int):
        super().__init__(f"line {line}")
        self.line = line


def cuts(path: Path, n: int) -> list[tuple[int, int]]:
    """(offset, length) of `n` (or fewer) consecutive stretches of the file, each ending
    just after a line end (the last one at the end of the file)."""
    total = path.stat().st_size
    out, start = [], 0
    with open(path, "rb") as fh:
        for i in range(1, n + 1):
            if start >= total:
                break
            end = total if i == n else max(start, total * i // n)
            while end < total:
                fh.seek(end)
                tail = fh.read(1024 * 1024)
                if not tail:
                    end = total
                    break
                at = tail.find(b"\n")
                if at >= 0:
                    end += at + 1
                    break
                end += len(tail)   # a "line" longer than a megabyte: read on to its end
            out.append((start, end - start))
            start = end
    return out


def decode_stretch(path: Path, offset: int, length: int, encoding: str, out: Path,
                   piece: int) -> tuple[int, int | None]:
    """Write bytes [offset, offset+length) of `path` as UTF-8 to `out`, `piece` bytes at a time.
    Returns (line ends in the stretch, line of the first undecodable byte counted from the
    stretch's start, or None)."""
    decoder = codecs.getincrementaldecoder(encoding)()  # a character may straddle two pieces
    lines = 0
    with open(path, "rb") as src, open(out, "wb") as dst:
        src.seek(offset)
        left = length
        while left > 0:
            raw = src.read(min(piece, left))
            if not raw:
                break
            left -= len(raw)
            try:
                dst.write(decoder.decode(raw, final=left <= 0).encode("utf-8"))
            except UnicodeDecodeError as e:
                return lines, lines + raw.count(b"\n", 0, max(e.start, 0)) + 1
            lines += raw.count(b"\n")
    return lines, None


@contextmanager
def utf8_copy(path: Path, encoding: str) -> Iterator[Path]:
    """A temporary UTF-8 copy of `path` (removed afterwards). Raises UndecodableLine."""
    remove_abandoned_copies(Path(tempfile.gettempdir()))
    scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX))
    try:
        (scratch / _OWNER_FILE).write_text(str(os.getpid()))
        size = path.stat().st_size
        workers = (os.cpu_count() or 1) if size >= MIN_PARALLEL_BYTES else 1
        stretches = cuts(path, workers)
        parts = [scratch / f"part{i}" for i in range(len(stretches))]
        if len(stretches) <= 1:
            results = [decode_stretch(path, *(stretches[0] if stretches else (0, 0)), encoding, parts[0],
                                      PIECE_BYTES)]
        else:
            results = _in_workers(path, stretches, encoding, parts)
        lines_before = 0
        for lines, bad in results:
            if bad is not None:
                raise UndecodableLine(lines_before + bad)
            lines_before += lines
        copy = scratch / "utf8.csv"
        parts[0].rename(copy)
        with open(copy, "ab") as dst:
            for part in parts[1:]:
                with open(part, "rb") as src:
                    shutil.copyfileobj(src, dst, 16 * 1024 * 1024)
                part.unlink()
        yield copy
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def remove_abandoned_copies(folder: Path) -> None:
    """Remove the copies that killed imports left behind (their process is gone): the copy
    of a 10-million-row export is 2 GB, and a server may be killed more than once.
    A folder whose owner is unknown or alive is left alone."""
    for scratch in folder.glob(SCRATCH_PREFIX + "*"):
        try:
            owner = int((scratch / _OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue   # not one of ours, or its owner is still writing the file
        if not _process_alive(owner):
            shutil.rmtree(scratch, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True    # someone else's process
    return True


def _in_workers(path: Path, stretches: list[tuple[int, int]], encoding: str, parts: list[Path]
                ) -> list[tuple[int, int | None]]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")]))}
    procs = [subprocess.Popen([sys.executable, "-m", "metrics.transcode", str(path), str(offset), str(length),
                               encoding, str(part), str(PIECE_BYTES)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
             for (offset, length), part in zip(stretches, parts)]
    results = []
    for p in procs:
        out, err = p.communicate()
        if p.returncode != 0:
            raise OSError(f"decoding worker failed: {err.decode(errors='replace').strip().splitlines()[-1:]}")
        lines, bad = json.loads(out)
        results.append((lines, bad))
    return results


if __name__ == "__main__":  # a worker: python -m metrics.transcode FILE OFFSET LENGTH ENCODING OUT PIECE
    f, o, n, enc, dst, piece = sys.argv[1:7]
    print(json.dumps(decode_stretch(Path(f), int(o), int(n), enc, Path(dst), int(piece))))
