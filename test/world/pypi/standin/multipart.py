"""Streaming multipart/form-data parser: file parts go to a sink chunk by chunk (bounded memory)."""

import re

CHUNK = 1 << 20
MAX_FIELD_BYTES = 16 << 20  # all text fields together


class MultipartError(Exception):
    pass


class BodyReader:
    """Reads a request body framed by Content-Length or chunked transfer encoding."""

    def __init__(self, rfile, length=None, chunked=False):
        self.rfile = rfile
        self.remaining = length
        self.chunked = chunked
        self.chunk_left = 0
        self.done = (length == 0) and not chunked

    def read(self, n=CHUNK):
        if self.done:
            return b""
        if not self.chunked:
            if self.remaining is None:
                data = self.rfile.read1(n) if hasattr(self.rfile, "read1") else self.rfile.read(n)
            else:
                data = self.rfile.read1(min(n, self.remaining)) if hasattr(self.rfile, "read1") else self.rfile.read(min(n, self.remaining))
                self.remaining -= len(data)
                if self.remaining <= 0:
                    self.done = True
            if not data:
                self.done = True
                if self.remaining:
                    raise MultipartError("request body ended early")
            return data
        if self.chunk_left == 0:
            line = self.rfile.readline(1024)
            if not line:
                raise MultipartError("request body ended early")
            size = int(line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while True:  # trailers
                    t = self.rfile.readline(8192)
                    if t in (b"\r\n", b"\n", b""):
                        break
                self.done = True
                return b""
            self.chunk_left = size
        data = self.rfile.read(min(n, self.chunk_left))
        if not data:
            raise MultipartError("request body ended early")
        self.chunk_left -= len(data)
        if self.chunk_left == 0:
            self.rfile.readline(16)
        return data

    def drain(self):
        while self.read():
            pass


_PARAM_RE = re.compile(r';\s*([A-Za-z0-9_*-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def parse_header_params(value):
    main, _, _rest = value.partition(";")
    params = {}
    for m in _PARAM_RE.finditer(value[len(main):]):
        k, v = m.group(1).lower(), m.group(2).strip()
        if v.startswith('"') and v.endswith('"') and len(v) >= 2:
            v = re.sub(r"\\(.)", r"\1", v[1:-1])
        params[k] = v
    return main.strip().lower(), params


def boundary_of(content_type):
    main, params = parse_header_params(content_type or "")
    if main != "multipart/form-data" or not params.get("boundary"):
        return None
    return params["boundary"]


def parse(reader, boundary, file_sink_factory):
    """Parse the body. Text parts → list of (name, str). File parts → file_sink_factory(name,
    filename, content_type) must return an object with write(bytes) and close(); its return value
    (after close) is collected as (name, sink) in files."""
    delim = b"\r\n--" + boundary.encode("latin-1")
    fields, files = [], []
    buf = b"\r\n"  # so that the first boundary looks like every other one
    eof = False
    field_bytes = 0

    def fill():
        nonlocal buf, eof
        data = reader.read(CHUNK)
        if not data:
            eof = True
            return False
        buf += data
        return True

    # preamble
    while True:
        i = buf.find(delim)
        if i >= 0:
            buf = buf[i + len(delim):]
            break
        buf = buf[-len(delim):]
        if not fill():
            raise MultipartError("no multipart boundary found")
    while True:
        while len(buf) < 2 and fill():
            pass
        if buf[:2] == b"--":
            reader.drain()
            return fields, files
        # headers
        while True:
            j = buf.find(b"\r\n\r\n")
            if j >= 0:
                break
            if len(buf) > 65536 or not fill():
                raise MultipartError("malformed part headers")
        raw_headers = buf[:j].decode("utf-8", "replace")
        buf = buf[j + 4:]
        headers = {}
        for line in raw_headers.split("\r\n"):
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        _, disp = parse_header_params(headers.get("content-disposition", ""))
        name = disp.get("name")
        filename = disp.get("filename")
        if filename is None and "filename*" in disp:
            fv = disp["filename*"]
            filename = fv.split("''", 1)[-1]
        is_file = filename is not None
        # like cgi.FieldStorage (WebOb, warehouse): a part without Content-Type is text/plain
        ctype = headers.get("content-type", "text/plain").split(";")[0].strip()
        sink = file_sink_factory(name, filename, ctype) if is_file else None
        parts = []
        while True:
            i = buf.find(delim)
            if i >= 0:
                data, buf = buf[:i], buf[i + len(delim):]
                if is_file:
                    sink.write(data)
                else:
                    parts.append(data)
                break
            keep = len(delim) - 1
            if len(buf) > keep:
                data, buf = buf[:-keep], buf[-keep:]
                if is_file:
                    sink.write(data)
                else:
                    field_bytes += len(data)
                    if field_bytes > MAX_FIELD_BYTES:
                        raise MultipartError("form fields too large")
                    parts.append(data)
            if not fill():
                raise MultipartError("multipart body ended early")
        if is_file:
            sink.close()
            files.append((name, sink))
        else:
            value = b"".join(parts)
            fields.append((name, value.decode("utf-8", "replace")))
