"""The language runs of one build in parallel processes.

Each language's Pelican run is independent of the others once the
whole-site work is done (translation index, front matter, data files,
events, news: ``BuildContext.once``), so the build driver does that work
first and then forks one process per language, at most ``jobs`` at a time.
A forked child starts with everything the parent has: the imported modules
and the build context with its results, so nothing is read or computed
twice and nothing needs pickling on the way in.

What a child logs goes back to the parent, which hands each record to its
own loggers: the build's recorder counts warnings and stops on errors, and
the console shows them, as if the run had been in the parent. An exception
in a child comes back as its message; a child that dies without a word is
named with its exit status.

Once a language's run has ended, a command can follow it in the same job
slots (``follow_up``): the search index of that language's pages, so that
indexing overlaps the runs still going instead of waiting for the last.

Children ignore SIGINT (Ctrl+C reaches the whole process group; the parent
decides) and die on SIGTERM, which the parent sends to the ones still
running when it is interrupted or one of them failed."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import subprocess
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import wait

log = logging.getLogger(__name__)


class LanguageRunFailed(RuntimeError):
    """A language's run raised (in its own process); ``detail`` is the text
    the build error shows."""

    def __init__(self, lang: str, message: str, detail: str):
        super().__init__(message)
        self.lang = lang
        self.detail = detail


def default_jobs(count: int) -> int:
    """One process per language, as many at once as there are cores."""
    return max(1, min(count, os.cpu_count() or 1))


def run_parallel(
    langs: list[str],
    run: Callable[[str], None],
    jobs: int,
    detail: Callable[[BaseException], str],
    seconds: dict | None = None,
    stop: Callable[[], bool] = lambda: False,
    follow_up: Callable[[str], list[tuple[str, list[str]]]] | None = None,
    command_done: Callable[[str, int, str, float], None] | None = None,
) -> None:
    """``run(lang)`` for every language, each in a forked process, ``jobs``
    at a time, in the order given. Records logged in the children are
    handled by the parent's loggers as they arrive. Raises
    LanguageRunFailed for the first run that raised, and returns early when
    ``stop()`` says so after a run ends (the others are stopped, either way);
    ``seconds[lang]`` is each run's time.

    ``follow_up(lang)``: commands ``(name, argv, cwd)`` to run once that
    language's run has ended (its search index), in the same job slots,
    after the language runs still waiting, one command at a time;
    ``command_done(name, status,
    output, seconds)`` is called as each ends, and may raise."""
    context = multiprocessing.get_context("fork")
    pending: list[tuple] = [("run", lang) for lang in langs]
    running: dict = {}  # connection or pipe -> (kind, name, process, started)
    try:
        while pending or running:
            while len(running) < jobs and (item := _next(pending, running)) is not None:
                pending.remove(item)
                if item[0] == "run":
                    lang = item[1]
                    receive, send = context.Pipe(duplex=False)
                    process = context.Process(
                        target=_child, args=(lang, run, send, detail), name=f"build-{lang}", daemon=True
                    )
                    process.start()
                    send.close()  # the child's end: EOF here when it exits
                    running[receive] = ("run", lang, process, time.perf_counter())
                else:
                    _kind, name, argv, cwd = item
                    runs_left = any(i[0] == "run" for i in pending) or any(
                        kind == "run" for kind, *_rest in running.values()
                    )
                    with _on_one_core(runs_left):
                        process = subprocess.Popen(
                            argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
                        )
                    _lower_priority(process.pid)
                    running[process.stdout] = ("cmd", name, process, time.perf_counter())
                    process.output = b""
            for conn in wait(list(running)):
                kind, name, process, started = running[conn]
                if kind == "cmd":
                    chunk = os.read(conn.fileno(), 65536)
                    if chunk:
                        process.output += chunk
                        continue
                    del running[conn]
                    conn.close()
                    status = process.wait()
                    if command_done is not None:
                        output = process.output.decode("utf-8", "replace")
                        command_done(name, status, output, time.perf_counter() - started)
                    continue
                lang = name
                outcome = _read(conn, lang, seconds)
                if outcome is None:
                    continue  # only records so far
                del running[conn]
                conn.close()
                process.join()
                if isinstance(outcome, LanguageRunFailed):
                    raise outcome
                if outcome == "gone" or process.exitcode != 0:
                    raise LanguageRunFailed(
                        lang,
                        f"the {lang} run stopped (exit status {process.exitcode})",
                        f" the {lang} run stopped without finishing (exit status {process.exitcode})",
                    )
                if stop():
                    return
                if follow_up is not None:
                    pending += [("cmd", cmd_name, argv, cwd) for cmd_name, argv, cwd in follow_up(lang)]
    finally:
        for conn, (kind, _name, process, _started) in running.items():
            if kind == "cmd":
                if process.poll() is None:
                    process.terminate()
                process.wait()
            else:
                if process.is_alive():
                    process.terminate()
                process.join()
            conn.close()


# A command (the search index of a finished language) is not on the build's
# critical path while language runs are still going: it gets the CPU time
# they leave. Measured at 3 x 1,000 posts on 2 cores: the last language's
# run no longer slows down while the others are indexed.
COMMAND_NICENESS = 10


def _lower_priority(pid: int) -> None:
    with contextlib.suppress(OSError, AttributeError):  # gone already, or not possible here
        os.setpriority(os.PRIO_PROCESS, pid, COMMAND_NICENESS)


@contextlib.contextmanager
def _on_one_core(wanted: bool):
    """A command started inside keeps to one core (Linux), while language
    runs still need the others. Pagefind's threads on several cores cost
    it a fifth more CPU time in all (the kernel's work for a process whose
    threads share memory across cores: measured at 1,000 pages, 1.22 s of
    CPU against 0.96 s on one core), taken from the runs. The command
    inherits the mask of this thread, which gets its own back at once."""
    cores = os.sched_getaffinity(0) if wanted and hasattr(os, "sched_setaffinity") else set()
    if len(cores) < 2:
        yield
        return
    os.sched_setaffinity(0, {max(cores)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, cores)


def _next(pending: list, running: dict):
    """The next item to start: language runs in order; a command only when
    no other is running (each command holds a language's pages in memory,
    as a run does, and they write into one folder: the search index)."""
    busy = any(kind == "cmd" for kind, *_rest in running.values())
    return next((item for item in pending if item[0] == "run" or not busy), None)


def _read(conn, lang: str, seconds: dict | None):
    """What a child has sent so far: its records are handled here; returns
    None while it runs, "done", "gone" (no result: it died) or the
    LanguageRunFailed it reported. Never waits for more than is there."""
    try:
        while conn.poll():
            kind, payload = conn.recv()
            if kind == "log":
                _handle(payload)
            elif kind == "done":
                if seconds is not None:
                    seconds[lang] = payload
                return "done"
            else:
                return LanguageRunFailed(lang, *payload)
    except EOFError:
        return "gone"
    return None


def _handle(fields: dict) -> None:
    record = logging.makeLogRecord(fields)
    logging.getLogger(record.name).handle(record)


class _Forward(logging.Handler):
    """In a child: every record that reaches the root logger's handlers, as
    plain fields (message already formatted), sent to the parent."""

    def __init__(self, conn):
        super().__init__(logging.NOTSET)
        self.conn = conn

    def emit(self, record):
        try:
            fields = {
                "name": record.name,
                "levelno": record.levelno,
                "levelname": record.levelname,
                "msg": record.getMessage(),
                "args": None,
                "pathname": record.pathname,
                "lineno": record.lineno,
                "funcName": record.funcName,
                "created": record.created,
                "msecs": record.msecs,
                "exc_text": record.exc_text
                or ("".join(traceback.format_exception(*record.exc_info)) if record.exc_info else None),
            }
            self.conn.send(("log", fields))
        except Exception:  # a record must never break the build
            self.handleError(record)


def _child(lang, run, conn, detail) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(_Forward(conn))
    started = time.perf_counter()
    try:
        run(lang)
    except BaseException as exc:
        conn.send(("failed", (str(exc), detail(exc))))
    else:
        conn.send(("done", time.perf_counter() - started))
    finally:
        conn.close()
