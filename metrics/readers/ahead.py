"""Reading a file's next batches while the previous ones are stored.

An import's staging step is a chain: pyarrow parses a block of the file, Arrow trims its
values, DuckDB compresses them into the staging table. Run in one thread the three take
turns and one of the machine's two cores waits; with the parsing and trimming in a thread of
their own, DuckDB stores batch n while batch n + 1 is read (pyarrow and DuckDB release
Python's lock while they work). The demo's file writer uses it the same way: the next block
of cases is generated while the previous one is written (data/demo/files.py).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

_DONE = object()


class _Raised:
    def __init__(self, exc: BaseException):
        self.exc = exc


def read_ahead(items: Iterable[T], depth: int = 2) -> Iterator[T]:
    """`items` in order, produced by a thread of their own up to `depth` ahead of the
    consumer. An exception of `items` is raised to the consumer where the item would have
    come; a consumer that stops early (closes the generator) stops the thread."""
    ready: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(x) -> bool:
        while not stop.is_set():
            try:
                ready.put(x, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_DONE)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            put(_Raised(exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:  # a generator's `with` blocks (a transcoded copy) end here
                close()

    worker = threading.Thread(target=produce, name="read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            item = ready.get()
            if item is _DONE:
                return
            if isinstance(item, _Raised):
                raise item.exc
            yield item
    finally:
        stop.set()
        worker.join()
