"""A second launch brings the running window forward instead of opening the library twice."""

from __future__ import annotations

from pathlib import Path

from readerapp.qt.single_instance import (
    SingleInstanceServer,
    notify_running_instance,
    server_name,
)


def test_second_launch_knocks_on_the_first(qtbot, tmp_path: Path) -> None:
    name = server_name(str(tmp_path / "lib-a"))
    assert name != server_name(str(tmp_path / "lib-b"))
    assert notify_running_instance(name, 200) is False
    server = SingleInstanceServer(name)
    assert server.listen()
    with qtbot.waitSignal(server.activationRequested, timeout=5000):
        assert notify_running_instance(name) is True
    server.close()
    assert notify_running_instance(name, 200) is False
