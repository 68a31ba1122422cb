"""Sdists whose tar stream ends the way Python's tarfile ends it, not at the end of the file: what
comes after the end (a second tar, garbage, a gzip stream cut short) is never read by PyPI.

Usage: tar_ends.py OUTDIR — writes one directory per case, each holding sample_project-1.0.tar.gz,
and prints what test/differential/shapes.py says.
"""

import bz2
import gzip
import io
import lzma
import sys
import tarfile
from compression import zstd  # CPython 3.14, PyPI's Python: is_tarfile tries it too

import shapes  # this folder: what every shape script prints

PKG_INFO = b"Metadata-Version: 2.1\nName: sample-project\nVersion: 1.0\nSummary: A sample\n"
TOP = "sample_project-1.0"


def tar(members, end=True, fmt=tarfile.PAX_FORMAT):
    raw = io.BytesIO()
    tf = tarfile.open(fileobj=raw, mode="w", format=fmt)
    for name, data in members:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    tf.close()
    out = raw.getvalue()
    return out if end else out.rstrip(b"\0") + b"\0" * ((-len(out.rstrip(b"\0"))) % 512)


BASE = [(f"{TOP}/PKG-INFO", PKG_INFO), (f"{TOP}/setup.py", b"from setuptools import setup\nsetup()\n")]


def header(name, size=0, typeflag=b"0", corrupt=None):
    info = tarfile.TarInfo(name)
    info.size = size
    info.type = typeflag
    block = bytearray(info.tobuf(format=tarfile.USTAR_FORMAT))
    if corrupt == "checksum":
        block[148:156] = b"0000000\0"
    if corrupt == "uid":
        block[108:116] = b"9999999\0"
        chksum = 256 + sum(block[:148]) + sum(block[156:])
        block[148:156] = b"%06o\0 " % chksum
    return bytes(block)


def cases():
    body = tar(BASE, end=False)
    escaping = tar([("../outside.py", b"x = 1\n")])
    pax_then_zeros = tarfile.TarInfo(f"{TOP}/long")
    pax_then_zeros.pax_headers = {"comment": "x"}
    pax_block = pax_then_zeros.tobuf(format=tarfile.PAX_FORMAT)[:-512]  # the pax header and its data alone
    return {
        "garbage after the members": gzip.compress(body + b"garbage!" * 64),
        "a second tar after the first": gzip.compress(tar(BASE) + tar([("other/x.py", b"x = 1\n")])),
        "a member escaping after the end blocks": gzip.compress(tar(BASE) + escaping),
        "gzip cut short after the end blocks": gzip.compress(tar(BASE))[:-20],
        "no end blocks": gzip.compress(body),
        "a header cut short after the members": gzip.compress(body + b"x" * 100),
        "an unreadable number in a header after the members": gzip.compress(body + header(f"{TOP}/late.py", 6, corrupt="uid") + b"x = 1\n".ljust(512, b"\0")),
        "a bad checksum after the members": gzip.compress(body + header(f"{TOP}/late.py", corrupt="checksum")),
        "a decompression bomb after the end blocks": gzip.compress(tar(BASE) + b"\0" * (96 << 20), 9),
        "a bad checksum first": gzip.compress(header(f"{TOP}/PKG-INFO", corrupt="checksum") + body),
        "a pax header followed by end blocks": gzip.compress(body + pax_block + b"\0" * 1024),
        "a member's data cut short": gzip.compress(body[:-700]),
        # is_tarfile tries every compression: a tar without gzip is a tar, and "r:gz" then fails
        "a tar without gzip": tar(BASE),
        "a tar compressed with bzip2": bz2.compress(tar(BASE)),
        "a tar compressed with xz": lzma.compress(tar(BASE)),
        "a tar compressed with zstd": zstd.compress(tar(BASE)),
        "a tar of a large first member compressed with zstd": zstd.compress(tar([(f"{TOP}/zeros", b"\0" * (4 << 20))] + BASE)),
        # ...but what a compressed stream holds must be a tar: then it is no tarfile to PyPI
        "text compressed with zstd": zstd.compress(b"not a tar\n" * 1000),
        "a zstd stream cut short before its first header ends": zstd.compress(tar(BASE))[:40],
        "end blocks alone, without gzip": b"\0" * 1024,
        "neither gzip nor tar": b"PK\x03\x04" + b"x" * 600,
        # os.path.commonpath raises ValueError, which warehouse does not catch: a server error
        "members some absolute, some relative": gzip.compress(tar(BASE + [("/abs/x.py", b"x = 1\n")])),
    }


def main():
    shapes.write(sys.argv[1], [(name, f"{TOP}.tar.gz", data) for name, data in cases().items()])

if __name__ == "__main__":
    main()
