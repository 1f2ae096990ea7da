"""The local backend: chunk after chunk in this process, the next chunk read and validated
in a background thread while this one is scored (the machine's second core)."""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

import polars as pl

from .chunk import score_chunk

T = TypeVar("T")
_DONE = object()


def prefetch(items: Iterator[T], depth: int = 1) -> Iterator[T]:
    """``items``, produced one step ahead in a daemon thread (polars, pandera's polars
    backend and numpy release the GIL for their heavy parts, so producing and consuming
    overlap). An exception in the producer is raised here, at the item it replaced; when
    the consumer stops early the producer stops at its next item."""
    slots: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        slots.put((item, None), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            slots.put((_DONE, None))
        except BaseException as exc:  # handed to the consumer as is
            slots.put((_DONE, exc))

    worker = threading.Thread(target=produce, name="gaitkeeper-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            item, exc = slots.get()
            if exc is not None:
                raise exc
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # let the producer see the stop (it may be mid-chunk)
            with contextlib.suppress(queue.Empty):
                slots.get_nowait()
            worker.join(timeout=0.05)


def local_engine(chunks: Iterator[pl.DataFrame], offers: pl.DataFrame, catalog: pl.DataFrame,
                 top: int) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
    """Yields (runners, their top rows) per chunk."""
    for chunk in prefetch(chunks):
        yield chunk, score_chunk(chunk, offers, catalog, top)
