"""Measured performance figures. ``python -m benchmarks`` runs every ``bench_*.py`` module.

Each module has ``run() -> list[Figure]``; each figure prints as ``name: value (target) ok|MISS``.
Targets are ratios against a floor measured in the same run wherever the issue asks for one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    target: float
    unit: str = ""  # "" for ratios, "ms", "MB", ...
    higher_is_better: bool = False

    @property
    def ok(self) -> bool:
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    def line(self) -> str:
        op = ">=" if self.higher_is_better else "<="
        unit = f" {self.unit}" if self.unit else ""
        return (
            f"{self.name}: {self.value:.3g}{unit} ({op} {self.target:g}{unit}) "
            f"{'ok' if self.ok else 'MISS'}"
        )


def compile_app_bytecode() -> None:
    """Compile readerapp's modules, as installing it does (pip and the installer write bytecode).

    Start-up figures are for an installed app; this checkout may run with
    PYTHONDONTWRITEBYTECODE set, which would make every start compile the sources again.
    """
    import compileall  # here: the start-up probes import this package and must stay lean

    compileall.compile_dir(Path(__file__).resolve().parents[1] / "readerapp", quiet=1)


class AfterImport:
    """Import hook for the start-up probes: calls ``then(module)`` once ``name`` has loaded.

    A probe watches the app's window without importing anything ahead of the app, so that
    everything (PySide6 included) is imported in the app's own order.
    """

    def __init__(self, name: str, then) -> None:
        self.name, self.then = name, then

    def find_spec(self, name: str, path=None, target=None):
        if name != self.name:
            return None
        import importlib.util
        import sys

        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        load = spec.loader.exec_module

        def exec_module(module) -> None:
            load(module)
            self.then(module)

        spec.loader.exec_module = exec_module
        return spec

    def install(self) -> None:
        import sys

        sys.meta_path.insert(0, self)


def run_measured(cmd: list[str], env: dict[str, str], cwd: str | None = None):
    """Run ``cmd`` to its end; returns (CompletedProcess with text output, wall seconds, the
    process's own resource usage). The usage is that one child's (``os.wait4``): the
    ``RUSAGE_CHILDREN`` figures would hold every child the benchmark run has waited for. Its
    CPU times are the child's alone; its ``ru_maxrss`` is not (it counts the pages the child
    shared with this process when forked): a child reports its own peak (see bench_hostile)."""
    import os
    import subprocess
    import threading
    import time

    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    output: dict[str, str] = {}

    def drain(name: str, stream) -> None:  # a full pipe would block the child
        output[name] = stream.read()
        stream.close()

    readers = [
        threading.Thread(target=drain, args=(name, stream))
        for name, stream in (("out", proc.stdout), ("err", proc.stderr))
    ]
    for reader in readers:
        reader.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    done = subprocess.CompletedProcess(cmd, proc.returncode, output["out"], output["err"])
    return done, wall, usage
