"""Undoing a response's Content-Encoding in bounded steps: each step gives
at most ``STEP`` bytes, so a small body that inflates to gigabytes is
stopped by the caller's size cap within one step, in memory and in time."""

from __future__ import annotations

import zlib

import brotli

STEP = 64 * 1024
# In the order a request's Accept-Encoding names them.
ENCODINGS = ("gzip", "deflate", "br")


class DecodeError(Exception):
    """The body cannot be decoded; the message says why, in words."""


class _Zlib:
    """gzip (members one after another too) or deflate (zlib-wrapped, or
    raw as some servers send it), at most STEP bytes out per step."""

    def __init__(self, *, gzip: bool):
        self.gzip = gzip
        self.inflater = zlib.decompressobj(zlib.MAX_WBITS | 16) if gzip else None
        self.start = b""  # deflate: the first bytes, until there are two to look at

    def pieces(self, data: bytes):
        if self.inflater is None:  # deflate: zlib header (RFC 1950) or raw
            data = self.start + data
            if len(data) < 2:
                self.start = data
                return
            wrapped = data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self.inflater = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        while True:
            out = self.inflater.decompress(data, STEP)
            data = self.inflater.unconsumed_tail
            if out:
                yield out
            if self.inflater.eof:
                rest = self.inflater.unused_data
                if not (self.gzip and rest.startswith(b"\x1f\x8b")):
                    return  # trailing bytes after the stream are ignored
                self.inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
                data = rest
            elif not data and len(out) < STEP:
                return  # all input used and nothing held back


class _Brotli:
    def __init__(self):
        self.decompressor = brotli.Decompressor()

    def pieces(self, data: bytes):
        out = self.decompressor.process(data, output_buffer_limit=STEP)
        if out:
            yield out
        while not self.decompressor.can_accept_more_data():
            out = self.decompressor.process(b"", output_buffer_limit=STEP)
            if not out:
                return
            yield out


class _Identity:
    def pieces(self, data: bytes):
        if data:
            yield data


_DECODERS = {
    "gzip": lambda: _Zlib(gzip=True),
    "x-gzip": lambda: _Zlib(gzip=True),
    "deflate": lambda: _Zlib(gzip=False),
    "br": _Brotli,
    "identity": _Identity,
}


class Decoder:
    """The Content-Encoding(s) of a response undone step by step; ``pieces``
    gives the body's bytes in bounded pieces as the raw bytes come."""

    def __init__(self, content_encoding: str):
        names = [n.strip().lower() for n in content_encoding.split(",") if n.strip()]
        self.names = [n for n in names if n != "identity"] or ["identity"]
        unknown = [n for n in self.names if n not in _DECODERS]
        if unknown:
            raise DecodeError(f"response is compressed as '{content_encoding}', which this site cannot read")
        # Applied in the order listed, so undone the other way round.
        self.stages = [_DECODERS[n]() for n in reversed(self.names)]

    def pieces(self, data: bytes):
        try:
            yield from self._through(0, data)
        except (zlib.error, brotli.error) as exc:
            raise DecodeError(f"response is not valid {'+'.join(self.names)} data ({exc})") from None

    def _through(self, stage: int, data: bytes):
        if stage == len(self.stages):
            yield data
            return
        for piece in self.stages[stage].pieces(data):
            yield from self._through(stage + 1, piece)
