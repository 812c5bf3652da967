"""The one atomic writer: complete files only, usual permissions, nothing left behind on failure."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from supplywatch.io import atomic_write_bytes, atomic_write_text, write_csv


def test_atomic_write_gives_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        path = atomic_write_text(tmp_path / "sub" / "a.txt", "hello")
    finally:
        os.umask(umask)
    assert path.read_text() == "hello"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path):
    path = atomic_write_text(tmp_path / "a.txt", "old")


    with pytest.raises(TypeError):
        atomic_write_bytes(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_write_csv_is_byte_stable(tmp_path):
    frame = pd.DataFrame({"b": ["x,y", "é"], "a": [1, 2]})
    first = write_csv(frame, tmp_path / "t.csv").read_bytes()
    second = write_csv(frame, tmp_path / "t.csv").read_bytes()
    assert first == second == 'b,a\n"x,y",1\né,2\n'.encode()


def test_file_sha256_remembers_only_unchanged_settled_files(tmp_path):
    import hashlib
    import os
    import time

    from supplywatch.hashing import file_sha256

    path = tmp_path / "a.txt"
    path.write_bytes(b"rare earths")
    assert file_sha256(path) == hashlib.sha256(b"rare earths").hexdigest()
    path.write_bytes(b"rare earthz")  # same size, just written: hashed again, never remembered
    assert file_sha256(path) == hashlib.sha256(b"rare earthz").hexdigest()
    past = time.time() - 60
    os.utime(path, (past, past))
    time.sleep(2.1)  # settled: now remembered
    first = file_sha256(path)
    st = path.stat()
    with open(path, "r+b") as fh:
        fh.write(b"RARE")  # same size, same inode, old modification time put back
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert file_sha256(path) != first == hashlib.sha256(b"rare earthz").hexdigest()
