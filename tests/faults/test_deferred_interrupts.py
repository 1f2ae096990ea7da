"""Ctrl-C during a batch run is raised between chunks (errors.deferred_interrupts), never
inside a polars call that runs Python code (polars then panics and prints a Rust
backtrace); a second Ctrl-C raises at once; outside the block nothing changes."""

from __future__ import annotations

import os
import signal
import time

import pytest

from recommender.errors import checkpoint, deferred_interrupts


def _sigint() -> None:
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.05)  # the handler runs in this (the main) thread at the next bytecode


def test_an_interrupt_waits_for_the_next_checkpoint() -> None:
    reached = False
    with pytest.raises(KeyboardInterrupt), deferred_interrupts():
        _sigint()
        reached = True  # not raised where the signal came in
        checkpoint()
        pytest.fail("checkpoint did not raise the deferred interrupt")
    assert reached
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored


def test_a_second_interrupt_raises_at_once() -> None:
    with pytest.raises(KeyboardInterrupt), deferred_interrupts():
        _sigint()
        _sigint()
        pytest.fail("the second interrupt was deferred too")


def test_one_still_pending_is_raised_when_the_block_ends() -> None:
    with pytest.raises(KeyboardInterrupt), deferred_interrupts():
        _sigint()
    checkpoint()  # nothing left over after the block


def test_without_an_interrupt_nothing_happens() -> None:
    with deferred_interrupts():
        checkpoint()
    checkpoint()
