"""A bad link on loopback: a TCP proxy that throttles, and cuts every connection at intervals.

Used by the tests (high rate, frequent cuts: resumption must work) and by the
benchmark (256 kbit/s, a cut every 30 s: how many bytes a 20 MB document costs).
Bytes are counted when the proxy forwards them, i.e. what crossed the "link".
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from dataclasses import dataclass


@dataclass
class LinkStats:
    bytes_up: int = 0  # client -> server, forwarded
    bytes_down: int = 0  # server -> client, forwarded
    connections: int = 0
    cuts: int = 0


class _Bucket:
    """Token bucket shared by all connections in one direction (one physical link)."""

    def __init__(self, rate_bytes_s: float | None) -> None:
        self.rate = rate_bytes_s
        self.allowance = 0.0
        self.last = time.monotonic()
        self.lock = asyncio.Lock()

    async def take(self, n: int) -> None:
        if self.rate is None:
            return
        async with self.lock:
            while True:
                now = time.monotonic()
                # At most ~50 ms of burst: the link never runs faster than its rate for long.
                self.allowance = min(
                    self.allowance + (now - self.last) * self.rate, self.rate * 0.05 + n
                )
                self.last = now
                if self.allowance >= n:
                    self.allowance -= n
                    return
                await asyncio.sleep((n - self.allowance) / self.rate)


class Netem:
    def __init__(
        self,
        target_port: int,
        *,
        rate_bits_s: float | None = None,
        cut_every_s: float | None = None,
        target_host: str = "127.0.0.1",
        chunk: int = 4096,
    ) -> None:
        self.target = (target_host, target_port)
        self.rate = rate_bits_s / 8 if rate_bits_s else None
        self.cut_every = cut_every_s
        self.chunk = chunk
        self.stats = LinkStats()
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> int:
        self._thread = threading.Thread(target=self._run, name="netem", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        return self.port

    def stop(self) -> None:
        if self._loop and self._stop:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread:
            self._thread.join(10)

    def __enter__(self) -> Netem:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._up = _Bucket(self.rate)
        self._down = _Bucket(self.rate)
        server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        cutter = asyncio.create_task(self._cutter())
        self._ready.set()
        await self._stop.wait()
        cutter.cancel()
        server.close()
        self.cut()

    # -- the link ----------------------------------------------------------------------------
    def cut(self) -> None:
        """Drop every open connection at once (RST), as a dropped line would."""
        if self._writers:
            self.stats.cuts += 1
        for w in list(self._writers):
            with contextlib.suppress(Exception):
                w.transport.abort()
        self._writers.clear()

    async def _cutter(self) -> None:
        if not self.cut_every:
            return
        while True:
            await asyncio.sleep(self.cut_every)
            self.cut()

    async def _handle(self, c_reader: asyncio.StreamReader, c_writer: asyncio.StreamWriter) -> None:
        # A cancelled handler (the proxy stopping) is a normal end, not an error to log.
        with contextlib.suppress(asyncio.CancelledError):
            await self._relay(c_reader, c_writer)

    async def _relay(self, c_reader: asyncio.StreamReader, c_writer: asyncio.StreamWriter) -> None:
        try:
            s_reader, s_writer = await asyncio.open_connection(*self.target)
        except OSError:
            c_writer.transport.abort()
            return
        self.stats.connections += 1
        self._writers |= {c_writer, s_writer}
        up = asyncio.create_task(self._pump(c_reader, s_writer, self._up, "up"))
        down = asyncio.create_task(self._pump(s_reader, c_writer, self._down, "down"))
        await asyncio.wait({up, down}, return_when=asyncio.FIRST_COMPLETED)
        for t in (up, down):
            t.cancel()
        for w in (c_writer, s_writer):
            self._writers.discard(w)
            with contextlib.suppress(Exception):
                w.close()

    async def _pump(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, bucket: _Bucket, way: str
    ) -> None:
        try:
            while data := await reader.read(self.chunk):
                await bucket.take(len(data))
                if writer.transport.is_closing():
                    return
                writer.write(data)
                if way == "up":
                    self.stats.bytes_up += len(data)
                else:
                    self.stats.bytes_down += len(data)
                await writer.drain()
            if writer.can_write_eof():
                writer.write_eof()
                # Keep the other direction open until it finishes (half-close).
                await asyncio.sleep(3600)
        except (ConnectionError, OSError, asyncio.CancelledError):
            return
