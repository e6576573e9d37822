"""Run work off the GUI thread and hand its result (or its exception) back to the GUI thread.

After Picard's ``run_task(func, next_func)``: a QRunnable runs ``func`` in a pool; a signal carries
the outcome to a receiver living in the GUI thread. Separate runners serve separate purposes (one
thread for writes so they never race; several for rendering).
"""

from __future__ import annotations

import itertools
import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    finished = Signal(int, bool, object)  # task id, ok, result or exception


class _Job(QRunnable):
    def __init__(self, task_id: int, relay: _Relay, func: Callable[[], Any]) -> None:
        super().__init__()
        self.task_id = task_id
        self.relay = relay
        self.func = func
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.func()
        except BaseException as exc:  # handed to on_error in the GUI thread, never lost
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.relay.finished.emit(self.task_id, False, exc)
        else:
            self.relay.finished.emit(self.task_id, True, result)


class TaskRunner(QObject):
    """A named pool of worker threads; callbacks run in the thread that owns the runner."""

    def __init__(self, name: str, max_threads: int = 1, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._relay = _Relay()
        self._relay.finished.connect(self._deliver)
        self._callbacks: dict[int, tuple[Callable[[Any], None] | None, Callable | None]] = {}
        self._ids = itertools.count(1)

    def submit(
        self,
        func: Callable[[], Any],
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> int:
        """Run ``func()`` in the pool; returns a task id."""
        task_id = next(self._ids)
        self._callbacks[task_id] = (on_result, on_error)
        self.pool.start(_Job(task_id, self._relay, func))
        return task_id

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the pool is idle (tests and shutdown only)."""
        return self.pool.waitForDone(msecs)

    @Slot(int, bool, object)
    def _deliver(self, task_id: int, ok: bool, payload: object) -> None:
        on_result, on_error = self._callbacks.pop(task_id, (None, None))
        if ok:
            if on_result is not None:
                on_result(payload)
        elif on_error is not None:
            on_error(payload)
        else:
            log.error(
                "Task %d of %s failed and nobody was waiting for its error:\n%s",
                task_id,
                self.objectName(),
                getattr(payload, "__traceback_text__", repr(payload)),
            )
