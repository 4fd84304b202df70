"""metrics/readers/ahead.py: the staging step's reading thread hands over every batch in
order, raises what the reader raised where the reader raised it, and stops when the
consumer stops."""

from __future__ import annotations

import threading
import time

import pytest

from metrics.readers.ahead import read_ahead


def test_every_item_in_order_across_the_thread():
    seen_threads = set()

    def numbers():
        for i in range(1000):
            seen_threads.add(threading.current_thread().name)
            yield i

    assert list(read_ahead(numbers())) == list(range(1000))
    assert seen_threads == {"read-ahead"}  # produced by the reading thread, not the consumer's


def test_the_readers_error_reaches_the_consumer_after_the_items_before_it():
    def failing():
        yield 1
        yield 2
        raise ValueError("row 7: bad quote")

    got = []
    with pytest.raises(ValueError, match="row 7: bad quote"):
        for x in read_ahead(failing()):
            got.append(x)
    assert got == [1, 2]


def test_it_reads_at_most_depth_items_ahead():
    produced = []

    def counted():
        for i in range(100):
            produced.append(i)
            yield i

    items = read_ahead(counted(), depth=2)
    assert next(items) == 0
    time.sleep(0.3)
    # One handed over, two waiting in the queue, one read and waiting for room.
    assert len(produced) <= 4
    items.close()


def test_a_consumer_that_stops_stops_the_reader_and_closes_its_generator():
    closed = threading.Event()

    def endless():
        try:
            i = 0
            while True:
                yield i
                i += 1
        finally:
            closed.set()  # e.g. a transcoded copy's `with` block ends here

    items = read_ahead(endless())
    assert [next(items) for _ in range(5)] == [0, 1, 2, 3, 4]
    items.close()
    assert closed.wait(2)
    assert not any(t.name == "read-ahead" and t.is_alive() for t in threading.enumerate())


def test_an_empty_source_gives_nothing():
    assert list(read_ahead(iter(()))) == []


def test_an_import_stopped_while_reading_leaves_no_reading_thread(tmp_path):
    """The Data page's progress callback raises to stop an import: the reading threads stop
    with it instead of waiting, a batch read ahead, until the stream is collected."""
    from data.demo import write_demo_files
    from metrics.ingest import import_file
    from metrics.store import connect

    cases, _ = write_demo_files(tmp_path / "files", n_cases=300_000, seed=3)
    con = connect(tmp_path / "s.duckdb")

    class Stop(Exception):
        pass

    def progress(done, total, stage):
        if stage == "read":
            raise Stop

    with pytest.raises(Stop):
        import_file(con, cases, progress=progress)
    assert not [t for t in threading.enumerate() if t.name == "read-ahead"]
    con.close()
