"""Peak memory of a process and all its descendants together, sampled from
/proc while they run (Linux).

``ru_maxrss`` is one process's peak, and RUSAGE_CHILDREN gives the largest
child's, not a sum: neither says what parallel language runs and the
search binary use together. So a thread samples the whole tree every
``interval`` seconds and keeps the peak of two sums:

- RSS: each process's resident memory added up. Forked children share the
  parent's pages until they write to them, so this counts shared pages
  once per process: an upper bound.
- PSS (proportional set size): each shared page divided among the
  processes that share it: what the tree really occupies.

A peak shorter than the interval can be missed; 20 ms is far shorter than
any phase of a build."""

from __future__ import annotations

import os
import threading


def _children_of(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # pid (comm) state ppid ...; comm may hold spaces or parentheses.
        parents[int(name)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
    tree, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        tree.append(pid)
        frontier += [child for child, parent in parents.items() if parent == pid]
    return tree


def _field_kb(path: str, field: bytes) -> int:
    try:
        with open(path, "rb") as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def tree_usage(root: int) -> tuple[int, int, int]:
    """(RSS sum in kB, PSS sum in kB, process count) of ``root`` and its
    descendants now."""
    rss = pss = count = 0
    for pid in _children_of(root):
        r = _field_kb(f"/proc/{pid}/status", b"VmRSS:")
        if not r:
            continue  # gone, or a zombie
        rss += r
        pss += _field_kb(f"/proc/{pid}/smaps_rollup", b"Pss:") or r
        count += 1
    return rss, pss, count


class TreeSampler:
    """``with TreeSampler(pid) as peak:`` ... ``peak.rss_mb``, ``peak.pss_mb``,
    ``peak.processes`` (the most seen at once)."""

    def __init__(self, pid: int, interval: float = 0.02):
        self.pid = pid
        self.interval = interval
        self.rss_kb = self.pss_kb = self.processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)

    def _run(self):
        while not self._stop.is_set():
            rss, pss, count = tree_usage(self.pid)
            self.rss_kb = max(self.rss_kb, rss)
            self.pss_kb = max(self.pss_kb, pss)
            self.processes = max(self.processes, count)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def rss_mb(self) -> float:
        return self.rss_kb / 1024

    @property
    def pss_mb(self) -> float:
        return self.pss_kb / 1024
