"""Wheels whose ZIP framing Python's zipfile (and so PyPI) reads its own way: an honest ZIP64 end
record, sizes claimed past a member's data, extra fields that overrun, .py members the content scan
cannot read, an end record that miscounts the central directory; and an sdist zipfile finds a ZIP
end record in (warehouse asks zipfile of every file).

Some shapes make zipfile raise something other than BadZipFile (an encrypted or patched member, a
version zipfile cannot extract, a member without a name): warehouse's upload then fails with a
server error, so PyPI takes none of them, and they are not for the stand-in's judge.

Usage: zip_shapes.py OUTDIR — writes one directory per case, each holding its dist, and prints
what test/differential/shapes.py says, with "raising": {case name: what zipfile raised}.
"""

import base64
import gzip
import hashlib
import io
import os
import struct
import sys
import tarfile
import zipfile
import zlib

import shapes  # this folder: what every shape script prints
import tar_reader  # this folder: its tar headers

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "world", "pypi"))
import standin  # noqa: E402,F401  checks that this is PyPI's CPython (3.14), whose zipfile reads the names

NAME, VERSION = "sample_project", "1.0"
DIST_INFO = f"{NAME}-{VERSION}.dist-info"
WHEEL = f"{NAME}-{VERSION}-py3-none-any.whl"
SDIST = f"{NAME}-{VERSION}.tar.gz"
METADATA = b"Metadata-Version: 2.1\nName: sample-project\nVersion: 1.0\nSummary: A sample\n"


def files(extra=()):
    members = [(f"{NAME}/__init__.py", b"x = 1\n"), *extra, (f"{DIST_INFO}/METADATA", METADATA),
               (f"{DIST_INFO}/WHEEL", b"Wheel-Version: 1.0\nGenerator: shapes\nRoot-Is-Purelib: true\nTag: py3-none-any\n")]
    record = "".join(f"{n},sha256={base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b'=').decode()},{len(d)}\n"
                     for n, d in members)
    return members + [(f"{DIST_INFO}/RECORD", (record + f"{DIST_INFO}/RECORD,,\n").encode())]


def wheel(members=None, method=zipfile.ZIP_DEFLATED):
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", method) as zf:
        for name, data in members or files():
            zf.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, method)
    return bytearray(raw.getvalue())


def entry(z, name):
    """(central directory record offset, local header offset) of a member."""
    cd = bytes(z).index(b"PK\x05\x06")
    cd_offset = struct.unpack("<L", z[cd + 16:cd + 20])[0]
    p = cd_offset
    while z[p:p + 4] == b"PK\x01\x02":
        nlen, xlen, clen = struct.unpack("<HHH", z[p + 28:p + 34])
        if z[p + 46:p + 46 + nlen] == name.encode():
            return p, struct.unpack("<L", z[p + 42:p + 46])[0]
        p += 46 + nlen + xlen + clen
    raise KeyError(name)


def zip64_end(z, disk=0, disks=1):
    """The same wheel with a ZIP64 end record and locator before its end record, as zip tools write them
    (or with a locator naming another disk, or more disks)."""
    eocd = bytes(z).rindex(b"PK\x05\x06")
    count, = struct.unpack("<H", z[eocd + 10:eocd + 12])
    size, offset = struct.unpack("<LL", z[eocd + 12:eocd + 20])
    record = struct.pack("<4sQHHLLQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, size, offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", disk, eocd, disks)
    return z[:eocd] + record + locator + z[eocd:]


def size_claimed(z, name, delta):
    cd, local = entry(z, name)
    size, = struct.unpack("<L", z[cd + 24:cd + 28])
    struct.pack_into("<L", z, cd + 24, size + delta)
    struct.pack_into("<L", z, local + 22, size + delta)
    return z


def bad_crc(z, name):
    cd, local = entry(z, name)
    crc, = struct.unpack("<L", z[cd + 16:cd + 20])
    struct.pack_into("<L", z, cd + 16, crc ^ 1)
    struct.pack_into("<L", z, local + 14, crc ^ 1)
    return z


def with_cd_extra(z, name, field):
    """The wheel with `field` (an extra field's bytes) added to `name`'s central directory record."""
    cd, _ = entry(z, name)
    nlen, xlen = struct.unpack("<HH", z[cd + 28:cd + 32])
    struct.pack_into("<H", z, cd + 30, xlen + len(field))
    at = cd + 46 + nlen + xlen
    out = z[:at] + field + z[at:]
    eocd = bytes(out).rindex(b"PK\x05\x06")
    size, = struct.unpack("<L", out[eocd + 12:eocd + 16])
    struct.pack_into("<L", out, eocd + 12, size + len(field))
    return out


def local_offset_at(z, name, offset):
    """The wheel with `name`'s local header placed at `offset` by a ZIP64 extra field (its central
    directory record's offset set to 0xFFFFFFFF): zipfile seeks there to read the member."""
    cd, _ = entry(z, name)
    struct.pack_into("<L", z, cd + 42, 0xFFFFFFFF)
    return with_cd_extra(z, name, struct.pack("<HHQ", 0x0001, 8, offset))


def unicode_path(name, raw, version=1):
    """An Info-ZIP Unicode Path extra field (0x7075) naming `name` for a member whose raw name is `raw`."""
    data = bytes([version]) + struct.pack("<L", zlib.crc32(raw)) + name.encode()
    return struct.pack("<HH", 0x7075, len(data)) + data


def renamed_metadata(field_for):
    """A wheel whose METADATA is stored as METADATX, its central directory record given
    `field_for(raw name)`: CPython 3.12+ (PyPI's) reads it as METADATA when that names it so."""
    raw = f"{DIST_INFO}/METADATX"
    members = [(raw if n.endswith("/METADATA") else n, d) for n, d in files()]
    return with_cd_extra(wheel(members), raw, field_for(raw.encode()))


def nul_in_name():
    """A wheel whose WHEEL is stored as "WHEEL\\0x" (in both headers): zipfile cuts a name at its NUL."""
    members = [(n + "_x" if n.endswith("/WHEEL") else n, d) for n, d in files()]
    return bytearray(bytes(wheel(members)).replace(f"{DIST_INFO}/WHEEL_x".encode(), f"{DIST_INFO}/WHEEL\0x".encode()))


def overrunning_extra(z):
    cd, _ = entry(z, f"{NAME}/__init__.py")
    nlen, = struct.unpack("<H", z[cd + 28:cd + 30])
    extra = struct.pack("<HH", 0xCAFE, 16) + bytes(4)
    out = z[:cd + 46 + nlen] + extra + z[cd + 46 + nlen:]
    struct.pack_into("<H", out, cd + 30, len(extra))
    eocd = bytes(out).rindex(b"PK\x05\x06")
    size, = struct.unpack("<L", out[eocd + 12:eocd + 16])
    struct.pack_into("<L", out, eocd + 12, size + len(extra))
    return out


def local_name(z, name, other):
    _, local = entry(z, name)
    assert len(other) == len(name)
    z[local + 30:local + 30 + len(name)] = other.encode()
    return z


def miscounted(z):
    eocd = bytes(z).rindex(b"PK\x05\x06")
    count, = struct.unpack("<H", z[eocd + 10:eocd + 12])
    struct.pack_into("<HH", z, eocd + 8, count + 1, count + 1)
    return z


def flag(z, name, bit):
    cd, local = entry(z, name)
    for at in (cd + 8, local + 6):
        struct.pack_into("<H", z, at, struct.unpack("<H", z[at:at + 2])[0] | bit)
    return z


def version_needed(z, name, version):
    cd, _ = entry(z, name)
    z[cd + 6] = version
    return z


def other_disk(z):
    """The end record says the central directory starts on another disk: is_zipfile says no ZIP,
    while zipfile.ZipFile, which warehouse opens first, reads the archive all the same."""
    eocd = bytes(z).rindex(b"PK\x05\x06")
    struct.pack_into("<H", z, eocd + 6, 1)
    return z


def unnamed(z):
    """The first member renamed to nothing, in both headers (its name bytes dropped)."""
    name = f"{NAME}/__init__.py".encode()
    cd, local = entry(z, name.decode())
    n = len(name)
    struct.pack_into("<H", z, cd + 28, 0)
    struct.pack_into("<H", z, local + 26, 0)
    out = z[:local + 30] + z[local + 30 + n:cd + 46] + z[cd + 46 + n:]
    eocd = bytes(out).rindex(b"PK\x05\x06")
    size, offset = struct.unpack("<LL", out[eocd + 12:eocd + 20])
    struct.pack_into("<LL", out, eocd + 12, size - n, offset - n)
    p = offset - n
    while out[p:p + 4] == b"PK\x01\x02":  # the local headers after the first moved up by n
        at, = struct.unpack("<L", out[p + 42:p + 46])
        if at > local:
            struct.pack_into("<L", out, p + 42, at - n)
        nlen, xlen, clen = struct.unpack("<HHH", out[p + 28:p + 34])
        p += 46 + nlen + xlen + clen
    return out


def raising():
    meta = f"{DIST_INFO}/METADATA"
    return {
        "an encrypted METADATA": flag(wheel(), meta, 0x01),
        "an encrypted .py member": flag(wheel(), f"{NAME}/__init__.py", 0x01),
        "a patched .py member (flag bit 5)": flag(wheel(), f"{NAME}/__init__.py", 0x20),
        "a strongly encrypted .py member (flag bit 6)": flag(wheel(), f"{NAME}/__init__.py", 0x40),
        "a member needing version 6.4 to extract": version_needed(wheel(), meta, 64),
        # warehouse opens the archive before is_zipfile: a ZipFile that raises comes first.
        "a member needing version 6.4 to extract, the central directory on another disk": other_disk(version_needed(wheel(), meta, 64)),
    }


def what_zipfile_raises(data):
    """What warehouse's reading raises, other than BadZipFile, or None (is_zipfile is asked outside any
    try: what it raises is a server error too)."""
    try:
        zipfile.is_zipfile(io.BytesIO(bytes(data)))
    except Exception as e:  # noqa: BLE001
        return type(e).__name__
    try:
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
            for info in zf.infolist():
                if not info.is_dir():
                    zf.read(info.filename)
    except zipfile.BadZipFile:
        return None
    except Exception as e:  # noqa: BLE001 (what a server error would be)
        return type(e).__name__
    return None


def sdist(gzip_comment=None, padding=b"", gzip_extra=None, tar=None):
    """An sdist; with a comment, its gzip header (FCOMMENT) holds it, with an extra its FEXTRA field
    (which may hold NULs); padding: a data file's bytes; tar: the tar's bytes instead of a plain one."""
    if tar is not None:
        return with_gzip_header(gzip.compress(tar, mtime=0), gzip_comment, gzip_extra)
    raw = io.BytesIO()
    members = [(f"{NAME}-{VERSION}/PKG-INFO", METADATA), (f"{NAME}-{VERSION}/setup.py", b"import setuptools\n")]
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for name, data in members + ([(f"{NAME}-{VERSION}/data.bin", padding)] if padding else []):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return with_gzip_header(gzip.compress(raw.getvalue(), mtime=0), gzip_comment, gzip_extra)


def with_gzip_header(body, gzip_comment, gzip_extra):
    if gzip_extra is not None:
        return body[:3] + bytes([body[3] | 0x04]) + body[4:10] + struct.pack("<H", len(gzip_extra)) + gzip_extra + body[10:]
    if gzip_comment is None:
        return body
    return body[:3] + bytes([body[3] | 0x10]) + body[4:10] + gzip_comment + b"\0" + body[10:]


def ustar_block(name):
    info = tarfile.TarInfo(name)
    return info.tobuf(format=tarfile.USTAR_FORMAT)


def tar_header_first(typeflag=b"0", data=b""):
    """A stored wheel whose first member's 482-byte name carries tar header fields, so that its local
    header and name make a first block tarfile reads as a header (of `typeflag`; its data, which
    starts the next block, is the member's)."""
    name = bytearray(b"a" * 482)
    name[:len(NAME) + 1] = f"{NAME}/".encode()
    name[-3:] = b".py"
    fields = [(100, b"0000644 "), (108, b"0000000 "), (116, b"0000000 "), (124, b"00000000000 "),
              (136, b"00000000000 "), (148, b" " * 8), (156, typeflag), (329, b"0000000 "), (337, b"0000000 ")]
    for at, value in fields:
        name[at - 30:at - 30 + len(value)] = value
    z = wheel([(name.decode(), data)] + files(), zipfile.ZIP_STORED)
    checksum = 256 + sum(z[:148]) + sum(z[156:512])
    signed = bytearray(name)
    signed[118:126] = b"%06o\0 " % checksum
    return bytearray(bytes(z).replace(bytes(name), bytes(signed)))


def cases():
    return {
        "a plain wheel": wheel(),
        "a ZIP64 end record and locator": zip64_end(wheel()),
        "a ZIP64 end record in a stored wheel": zip64_end(wheel(method=zipfile.ZIP_STORED)),
        "RECORD's size claimed past its data": size_claimed(wheel(), f"{DIST_INFO}/RECORD", 1),
        "METADATA's size claimed past its data, stored": size_claimed(wheel(method=zipfile.ZIP_STORED), f"{DIST_INFO}/METADATA", 7),
        "a .py member with a bad CRC": bad_crc(wheel(), f"{NAME}/__init__.py"),
        "a .py member named otherwise in its local header": local_name(wheel(), f"{NAME}/__init__.py", f"{NAME}/__init__.pz"),
        "an extra field longer than the central directory's extra": overrunning_extra(wheel()),
        "an end record counting one member too many": miscounted(wheel()),
        "a WHEEL whose name goes on after a NUL": nul_in_name(),
        # warehouse reads WHEEL inside its archive checks: BadZipFile is "None", the rest a server error
        "a WHEEL with a bad CRC": bad_crc(wheel(), f"{DIST_INFO}/WHEEL"),
        "an encrypted WHEEL": flag(wheel(), f"{DIST_INFO}/WHEEL", 0x01),
        # CPython 3.12+ reads a member without a name as a file, not as a directory it cannot test.
        "a member without a name": unnamed(wheel()),
        "a METADATA named by its Unicode Path extra field": renamed_metadata(lambda raw: unicode_path(f"{DIST_INFO}/METADATA", raw)),
        "a Unicode Path extra field for another name's CRC": renamed_metadata(lambda raw: unicode_path(f"{DIST_INFO}/METADATA", b"x")),
        "a Unicode Path extra field of version 2": renamed_metadata(lambda raw: unicode_path(f"{DIST_INFO}/METADATA", raw, 2)),
        "a Unicode Path extra field too short": renamed_metadata(lambda raw: struct.pack("<HH", 0x7075, 3) + b"\x01ab"),
        "a Unicode Path extra field not in UTF-8": renamed_metadata(
            lambda raw: struct.pack("<HH", 0x7075, 7) + b"\x01" + struct.pack("<L", zlib.crc32(raw)) + b"\xff\xfe"),
        "a wheel whose first block is a tar header": tar_header_first(),
        "a wheel whose first block is a pax header before a tar header": tar_header_first(b"x", ustar_block(f"{NAME}/x.txt")),
        # zipfile.is_zipfile takes the BadZipFile of a ZIP64 locator of several disks for no ZIP (3.14).
        "a ZIP64 locator naming a second disk": zip64_end(wheel(), disk=1),
        "a ZIP64 locator counting two disks": zip64_end(wheel(), disks=2),
        "an end record placing the central directory on another disk": other_disk(wheel()),
        # The seek to a member's local header: past the largest file of the file system that holds the
        # upload (ext4: 2**44 - 4096) it is OSError, past a C off_t ValueError; PyPI answers a 500.
        "a .py member's local header past the file system's largest file": local_offset_at(wheel(), f"{NAME}/__init__.py", 2**44),
        "a .py member's local header at the file system's largest file": local_offset_at(wheel(), f"{NAME}/__init__.py", 2**44 - 4096),
        "a .py member's local header past a C off_t": local_offset_at(wheel(), f"{NAME}/__init__.py", 2**63),
    }


SDISTS = {
    "a plain sdist": sdist(),
    # CPython 3.14's is_zipfile wants a central directory record where the end record places it...
    "an sdist whose gzip comment holds a ZIP end record": sdist(b"PK\x05\x06" + b" " * 18),
    # ...or an empty archive's end record: then the sdist is both a zip and a tar file.
    "an sdist whose gzip header holds an empty ZIP's end record": sdist(gzip_extra=b"PK\x05\x06" + b"\0" * 18),
    # zipfile looks for the end record in the last 64 KiB and 22 bytes only.
    "an sdist whose gzip comment holds a ZIP end record 70 KiB before its end": sdist(
        b"PK\x05\x06" + b" " * 18, hashlib.shake_256(b"incompressible").digest(70 << 10)),
    # tarfile.open raises ValueError on the first member (a GNU sparse 1.0 map that is no number):
    # warehouse opens the archive first, so the upload fails (500) before "both a zip and a tar file".
    "an sdist both a zip and a tar file whose first member tarfile cannot read": sdist(
        gzip_extra=b"PK\x05\x06" + b"\0" * 18, tar=tar_reader.SPARSE_10 + tar_reader.member(f"{tar_reader.TOP}/y", b"x\n0\n1\n") + tar_reader.sdist()),
}


def main():
    judged = [(name, WHEEL, data) for name, data in cases().items()] + [(name, SDIST, data) for name, data in SDISTS.items()]
    raised = raising()
    shapes.write(sys.argv[1], judged, [(name, WHEEL, data) for name, data in raised.items()],
                 raising={n: what_zipfile_raises(d) for n, d in raised.items()})

if __name__ == "__main__":
    main()
