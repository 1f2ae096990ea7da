"""The local backend: chunk after chunk in this process; and :func:`prefetch`, which reads
and validates the next chunk in a background thread while this one is scored (the
machine's second core)."""

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
    """``items``, produced ``depth`` step(s) ahead in a daemon thread (polars, pandera's
    polars backend and numpy release the GIL for their heavy parts, so producing and
    consuming overlap). The producer starts an item only when a slot is free, so at most
    ``depth`` items exist beside the one being consumed (memory: one chunk ahead, not two).
    An exception in the producer is raised here, at the item it replaced; when the consumer
    stops early the producer stops before its next item."""
    slots: queue.Queue = queue.Queue()
    free = threading.Semaphore(depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            it = iter(items)
            while True:
                while not free.acquire(timeout=0.1):
                    if stop.is_set():
                        return
                if stop.is_set():
                    return
                try:
                    item = next(it)
                except StopIteration:
                    break
                slots.put((item, None))
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
            free.release()  # the next item is produced while this one is consumed
            yield item
            del item
    finally:
        stop.set()
        free.release()
        while worker.is_alive():  # let the producer see the stop (it may be mid-chunk)
            with contextlib.suppress(queue.Empty):
                slots.get_nowait()
            worker.join(timeout=0.05)


def local_engine(chunks: Iterator[pl.DataFrame], offers: pl.DataFrame, catalog: pl.DataFrame,
                 top: int) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
    """Yields (runners, their top rows) per chunk, scored in this thread (the chunks come
    read and validated ahead by :func:`prefetch`, in the caller)."""
    for chunk in chunks:
        yield chunk, score_chunk(chunk, offers, catalog, top, categorical=True)
