"""The ``gaitkeeper`` command line: one module per subcommand, composing library calls.

Exit codes (SPEC §5): 0 success; 2 bad input or arguments, with a message on stderr that
names the file, row, column or field (also an output that cannot be written: a directory,
read-only, an input, a full disk). No traceback reaches a user unless ``--debug``.
Interrupted runs remove their temporary files and leave existing outputs untouched: Ctrl-C
(SIGINT) exits 130, SIGTERM 143, SIGHUP 129 (128 + the signal, as a shell reports it).
1 is an internal error (a bug: please report it).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import typer

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT


def _raise_terminated(signum: int, frame: Any) -> None:
    from ..errors import Terminated

    raise Terminated(signum)


_raise_terminated.raises = True  # type: ignore[attr-defined]  # deferrable (errors.deferred_interrupts)


def install_signal_handlers() -> None:
    """SIGTERM and SIGHUP stop the run as Ctrl-C does (cleanly), exiting 128 + signal."""
    import signal

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_terminated)

app = typer.Typer(
    name="gaitkeeper",
    help="Shoe and running-form recommendations for runners with knee pain: "
         "strength before stability.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
_state = {"debug": False}


@app.callback()
def _root(debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors.")) -> None:
    _state["debug"] = debug


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    """Print ``message`` to stderr and exit with ``code``."""
    typer.echo(f"gaitkeeper: {message}", err=True)
    raise typer.Exit(code)


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the library's input errors into exit 2 with their message, and any other error
    into exit 1 with a one-line message (the traceback only with ``--debug``)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..errors import GaitkeeperError

        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except GaitkeeperError as exc:
            if _state["debug"]:
                raise
            fail(str(exc))
        except KeyboardInterrupt as exc:
            import signal

            from ..errors import Terminated

            signum = exc.signum if isinstance(exc, Terminated) else signal.SIGINT
            name = signal.Signals(signum).name
            typer.echo(f"gaitkeeper: interrupted ({name}); no output was written or changed",
                       err=True)
            if not _state.get("in_process"):
                # The unwinding above already removed every temporary file. Leave now, so a
                # second interrupt noticed during interpreter shutdown (native threads of
                # polars/arrow can hold one) cannot turn exit 128 + n into death by signal.
                import os

                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(128 + signum)
            raise typer.Exit(128 + signum) from None
        except Exception as exc:  # last resort: a bug of ours, still no traceback
            if _state["debug"]:
                raise
            fail(f"internal error ({type(exc).__name__}: {exc}); rerun with --debug and "
                 "report it", 1)

    return wrapper


def _register() -> None:
    from . import import_inventory, journal, recommend, score, synth, validate

    for mod in (recommend, validate, score, synth, journal, import_inventory):
        mod.register(app)


_register()


def main(argv: list[str] | None = None) -> None:
    if argv is None:  # the real command line (not a test calling main): own the signals
        install_signal_handlers()
    _state["in_process"] = argv is not None
    try:
        app(args=argv, prog_name="gaitkeeper", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if argv is not None:
            raise
        sys.exit(code)
