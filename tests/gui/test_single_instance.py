"""A second launch brings the running window forward instead of opening the library twice."""

from __future__ import annotations

from pathlib import Path

from readerapp.qt.single_instance import (
    SingleInstanceServer,
    notify_running_instance,
    server_name,
)


def assert_a_knock_reaches_a_new_server(qtbot, name: str) -> None:
    server = SingleInstanceServer(name)
    assert server.listen()
    with qtbot.waitSignal(server.activationRequested, timeout=5000):
        assert notify_running_instance(name) is True
    server.close()


def test_second_launch_knocks_on_the_first(qtbot, tmp_path: Path) -> None:
    name = server_name(str(tmp_path / "lib-a"))
    assert name != server_name(str(tmp_path / "lib-b"))
    assert notify_running_instance(name, 200) is False
    assert_a_knock_reaches_a_new_server(qtbot, name)
    assert notify_running_instance(name, 200) is False


def test_a_second_launch_with_files_hands_them_to_the_first(qtbot, tmp_path: Path) -> None:
    """`readerapp paper.pdf` from a file manager while the app runs opens it in that window."""
    name = server_name(str(tmp_path / "lib"))
    server = SingleInstanceServer(name)
    assert server.listen()
    paper = tmp_path / "a paper.pdf"
    with qtbot.waitSignal(server.filesOpenRequested, timeout=5000) as opened:
        assert notify_running_instance(name, files=[str(paper), "relative.pdf"]) is True
    assert opened.args == [[str(paper), str(Path("relative.pdf").resolve())]]
    # A later launch is heard too (the listener is the same after its first connection).
    with qtbot.waitSignal(server.filesOpenRequested, timeout=5000) as opened:
        assert notify_running_instance(name, files=[str(paper)]) is True
    assert opened.args == [[str(paper)]]
    server.close()


def test_a_stale_socket_from_a_crash_does_not_stop_the_next_start(qtbot, tmp_path: Path) -> None:
    import socket

    from readerapp.qt.single_instance import socket_path

    name = server_name(str(tmp_path / "crashed"))
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(socket_path(name))  # bound and never listening: what a killed process leaves
    stale.close()
    assert notify_running_instance(name, 200) is False
    assert_a_knock_reaches_a_new_server(qtbot, name)
