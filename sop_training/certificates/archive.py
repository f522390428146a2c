"""ZIP archives written as they are read, so a thousand certificates never sit in memory."""

import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime


class _Chunks:
    """A write-only, unseekable file that hands over what was written so far."""

    def __init__(self):
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: chunks are handed over by ``take``."""

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def stream_zip(entries: Iterable[tuple[str, datetime, bytes]]) -> Iterator[bytes]:
    """Yield a ZIP archive of ``(name, modified, data)`` entries, one file at a time."""
    sink = _Chunks()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, modified, data in entries:
            info = zipfile.ZipInfo(name, date_time=modified.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
            yield sink.take()
    yield sink.take()
