"""Sdists whose tar headers or gzip framing Python's tarfile and gzip read differently from common tar
libraries: magics other than ustar, signed checksums, type flags tarfile does not know (read as files),
links claiming a size (no data skipped), octal sizes written "0o...", the prefix field of GNU headers,
names that are not UTF-8 (surrogateescape), pax records that rename, resize or empty a name, and gzip
streams of several members. Each is judged by the action's pre-flight and by the PyPI stand-in.

Usage: tar_reader.py OUTDIR — writes one directory per case, each holding sample_project-1.0.tar.gz,
and prints what test/differential/shapes.py says.
"""

import gzip
import io
import sys
import tarfile

import shapes  # this folder: what every shape script prints

TOP = "sample_project-1.0"
META = b"Metadata-Version: 2.1\nName: sample-project\nVersion: 1.0\nSummary: A sample\n"
SETUP = b"from setuptools import setup\nsetup()\n"


def header(name, size=0, typeflag=b"0", linkname=b"", magic=b"ustar\x0000", uname=b"", prefix=b"", signed=False):
    """One header block, its fields written as given (bytes names stay bytes)."""
    name = name.encode() if isinstance(name, str) else name
    h = bytearray(512)
    h[0:len(name)] = name
    h[100:108] = b"0000644\0"
    h[108:116] = b"0000000\0"
    h[116:124] = b"0000000\0"
    h[124:136] = b"%011o\0" % size
    h[136:148] = b"00000000000\0"
    h[156:157] = typeflag
    h[157:157 + len(linkname)] = linkname
    h[257:265] = magic
    h[265:265 + len(uname)] = uname
    h[345:345 + len(prefix)] = prefix
    return checksum(h, signed)


def checksum(h, signed=False):
    h[148:156] = b" " * 8
    total = sum(b - 256 if signed and b > 127 else b for b in h)
    h[148:156] = b"%06o\0 " % total
    return bytes(h)


def pad(data):
    return data + b"\0" * (-len(data) % 512)


def member(name, data=b"", typeflag=b"0", **kw):
    return header(name, len(data), typeflag, **kw) + pad(data)


def pax(records, typeflag=b"x"):
    body = b""
    for key, value in records:
        rest = b" %s=%s\n" % (key, value)
        n = len(rest) + 1
        while len(str(n)) + len(rest) != n:
            n = len(str(n)) + len(rest)
        body += b"%d%s" % (n, rest)
    return header("PaxHeader/x", len(body), typeflag) + pad(body)


def raw_pax(body):
    """A pax header of exactly these record bytes, framed or not."""
    return header("PaxHeader/x", len(body), b"x") + pad(body)


# The pax records that make the next member GNU sparse 1.0 (its map in its data).
SPARSE_10 = pax([(b"GNU.sparse.major", b"1"), (b"GNU.sparse.minor", b"0")])


def before_pkg_info(*blocks):
    """An sdist with `blocks` between its top directory and PKG-INFO."""
    return b"".join([header(TOP + "/", 0, b"5"), *blocks, member(f"{TOP}/PKG-INFO", META), member(f"{TOP}/setup.py", SETUP)]) + b"\0" * 1024


def sdist(*extra, first=None):
    blocks = [header(TOP + "/", 0, b"5"), member(f"{TOP}/PKG-INFO", META), member(f"{TOP}/setup.py", SETUP)]
    if first is not None:
        blocks[2] = first
    return b"".join(blocks) + b"".join(extra) + b"\0" * 1024


def octal_0o_size():
    h = bytearray(header(f"{TOP}/setup.py", len(SETUP)))
    h[124:136] = (b"0o%o\0" % len(SETUP)).ljust(12, b"\0")
    return checksum(h) + pad(SETUP)


def python_tar(fmt, names):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=fmt) as tf:
        for name, data in names:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return raw.getvalue()


def cases():
    gz = gzip.compress
    tar = sdist()
    hidden_pkg_info = member(f"{TOP}/PKG-INFO", META)
    long_name = f"{TOP}/" + "d" * 120 + "/x.py"
    c = {
        # Controls.
        "a plain ustar sdist": gz(tar),
        "a GNU-format sdist with a long name (L)": gz(python_tar(tarfile.GNU_FORMAT, [(f"{TOP}/PKG-INFO", META), (long_name, b"x = 1\n")])),
        "a pax sdist with a long name": gz(python_tar(tarfile.PAX_FORMAT, [(f"{TOP}/PKG-INFO", META), (long_name, b"x = 1\n")])),
        "an archive of zeros": gz(b"\0" * 10240),
        "an old GNU sparse member": gz(sdist(member(f"{TOP}/big", b"x", b"S"))),
        "a pax GNU.sparse.name alone (no sparse map)": gz(sdist(pax([(b"GNU.sparse.name", f"{TOP}/renamed".encode())]), member(f"{TOP}/y", b"y"))),
        # Magic, checksum, number fields.
        "a V7 header (no magic)": gz(sdist(first=member(f"{TOP}/setup.py", SETUP, magic=b"\0" * 8))),
        "a header with magic USTAR": gz(sdist(first=member(f"{TOP}/setup.py", SETUP, magic=b"USTAR\x0000"))),
        "a header with magic 'ustar 00'": gz(sdist(first=member(f"{TOP}/setup.py", SETUP, magic=b"ustar 00"))),
        "a checksum summed over signed bytes": gz(sdist(first=member(f"{TOP}/setup.py", SETUP, uname=b"\xe9", signed=True))),
        "a size written 0o...": gz(sdist(first=octal_0o_size())),
        # Type flags.
        "a Solaris X extended header": gz(sdist(pax([(b"path", f"{TOP}/renamed.py".encode())], b"X"), member(f"{TOP}/x", b"x"))),
        "an old GNU N member (a file to tarfile)": gz(sdist(member(f"{TOP}/names", b"other/renamed\0", b"N"), member(f"{TOP}/LICENSE", b"MIT"))),
        "a symlink claiming a size, PKG-INFO after it": gz(
            header(TOP + "/", 0, b"5") + header(f"{TOP}/lnk", len(hidden_pkg_info), b"2", linkname=b"setup.py") + hidden_pkg_info + member(f"{TOP}/setup.py") + b"\0" * 1024
        ),
        "a symlink claiming a size, another top directory after it": gz(
            sdist(header(f"{TOP}/lnk", 1024, b"2", linkname=b"setup.py"), member("other/x.py", b"x = 1\n"))
        ),
        "a directory claiming a size": gz(sdist(header(f"{TOP}/sub", 512, b"5"), member(f"{TOP}/sub/a.py", b"a = 1\n"))),
        # Names.
        "a pax path record with an empty value": gz(sdist(pax([(b"path", b"")]), member(f"{TOP}/x.py", b"x"))),
        "a GNU-magic header with a prefix field": gz(sdist(member(f"{TOP}/x.py", b"x", magic=b"ustar  \0", prefix=b"junk"))),
        "a ustar prefix naming the top directory": gz(sdist(member("x.py", b"x", prefix=TOP.encode()))),
        "two top directories differing in non-UTF-8 bytes": gz(member(b"top\xff/PKG-INFO", META) + member(b"top\xfe/setup.py", b"x") + b"\0" * 1024),
        "a non-UTF-8 top directory": gz(member(b"top\xff/PKG-INFO", META) + member(b"top\xff/setup.py", b"x") + b"\0" * 1024),
        "a top directory two levels deep": gz(member(f"outer/{TOP}/PKG-INFO", META) + member(f"outer/{TOP}/setup.py", SETUP) + b"\0" * 1024),
        "a pax path that is not UTF-8": gz(sdist(pax([(b"path", b"other\xff/x.py")]), member(f"{TOP}/x.py", b"x"))),
        "a pax size record moving the next header": gz(sdist(pax([(b"size", b"0")]), header(f"{TOP}/a.py", 512) + member("other/b.py", b"b"))),
        "a global pax header": gz(sdist(pax([(b"comment", b"x")], b"g"), member(f"{TOP}/g.py", b"g"))),
        # Longer than Linux's PATH_MAX: no installer can unpack them, and PyPI accepts them.
        "a member name of 5,000 bytes": gz(sdist(pax([(b"path", f"{TOP}/{'n' * 4990}".encode())]), member(f"{TOP}/x.py", b"x"))),
        "a symlink target of 5,000 bytes": gz(sdist(pax([(b"linkpath", b"t" * 5000)]), header(f"{TOP}/lnk", 0, b"2"))),
        # int() of a pax size: digits of any script and Unicode spaces, but not \x1c-\x1f, and no more than 4,300 digits.
        "a pax size in fullwidth digits": gz(sdist(pax([(b"size", "\uff13\uff17".encode())]), header(f"{TOP}/b.py", 0) + pad(SETUP))),
        "a pax size after a no-break space": gz(sdist(pax([(b"size", "\u00a037".encode())]), header(f"{TOP}/b.py", 0) + pad(SETUP))),
        "a pax size after a file separator": gz(sdist(pax([(b"size", b"\x1c37")]), header(f"{TOP}/b.py", 37) + pad(SETUP) + member("other/c.py", b"c"))),
        "a pax size of 5,000 digits": gz(sdist(pax([(b"size", b"1" * 5000)]), header(f"{TOP}/b.py", 0))),
        "a pax record of length 0 after the members": gz(sdist(header("PaxHeader/x", 4, b"x") + pad(b"0 a="), member("other/z.py", b"z"))),
        # CPython 3.14 (PyPI's) frames pax records strictly and stops the archive at a header it
        # finds invalid: the members after it are not listed.
        "a pax record without its newline before PKG-INFO": gz(before_pkg_info(raw_pax(b"12 path=abcd"), member(f"{TOP}/y", b"y"))),
        "a pax record of 4 bytes first": gz(raw_pax(b"4 a=") + sdist()),
        "a pax record without = before PKG-INFO": gz(before_pkg_info(raw_pax(b"11 pathabcd\n"), member(f"{TOP}/y", b"y"))),
        "a pax record longer than its header before PKG-INFO": gz(before_pkg_info(raw_pax(b"99 path=a\n"), member(f"{TOP}/y", b"y"))),
        "a negative pax size before PKG-INFO": gz(before_pkg_info(pax([(b"size", b"-1")]), member(f"{TOP}/y", b"y"))),
        "a GNU sparse 0.0 offset that is no number before PKG-INFO": gz(before_pkg_info(
            pax([(b"GNU.sparse.size", b"1"), (b"GNU.sparse.offset", b"x"), (b"GNU.sparse.numbytes", b"1")]), member(f"{TOP}/y", b"y"))),
        "a GNU sparse 0.0 offset after a byte order mark before PKG-INFO": gz(before_pkg_info(
            pax([(b"GNU.sparse.size", b"1"), (b"GNU.sparse.offset", b"\xef\xbb\xbf0"), (b"GNU.sparse.numbytes", b"1")]), member(f"{TOP}/y", b"y"))),
        # GNU sparse 1.0: the map is lines of numbers at the start of the member's data, each read by
        # int(bytes) (ASCII only); a malformed map is a ValueError nobody catches (a 500 at PyPI).
        "a GNU sparse 1.0 member": gz(before_pkg_info(SPARSE_10, member(f"{TOP}/y", b"1\n0\n1\n" + b"\0" * 509 + b"y"))),
        "a GNU sparse 1.0 map that is no number": gz(before_pkg_info(SPARSE_10, member(f"{TOP}/y", b"x\n0\n1\n"))),
        "a GNU sparse 1.0 map after a no-break space": gz(before_pkg_info(SPARSE_10, member(f"{TOP}/y", b"\xa01\n0\n1\n"))),
        "a GNU sparse 1.0 map without a newline": gz(before_pkg_info(SPARSE_10, member(f"{TOP}/y", b"1"))),
        "a GNU sparse 1.0 map cut short": gz(before_pkg_info(SPARSE_10, member(f"{TOP}/y", b"2\n0\n1\n5"))),
        # After a long name, a file whose short name ends with "/" stays a file (no V7 directory): its data is skipped.
        "a file named with a slash after a GNU long name, PKG-INFO after it": gz(before_pkg_info(
            member("././@LongLink", f"{TOP}/d/".encode() + b"\0", b"L"), member(f"{TOP}/d/", b"x = 1\n" * 10, b"\0"))),
        # Gzip members.
        "an empty gzip member first": gz(b"") + gz(tar),
        "the tar split across gzip members": gz(tar[:1024]) + gz(tar[1024:]),
        "zero bytes between gzip members": gz(tar[:1536]) + b"\0" * 100 + gz(tar[1536:]),
        "a second gzip member cut short before the tar ends": gz(tar[:1536]) + gz(tar[1536:])[:12],
        "zero bytes after a gzip member that ends at a header": gz(tar[:1536]) + b"\0" * 100,
        # Cut short before tarfile read the first member: EOFError, from is_tarfile too (a 500)...
        "an sdist cut short in its gzip header": gz(tar)[:9],
        "an sdist cut short before its first tar header": gz(tar)[:30],
        "a second gzip member cut short before the first tar header ends": gz(tar[:100]) + gz(tar[100:])[:12],
        # ...but one byte is no gzip magic, and a member cut short after it is "None".
        "an sdist of one byte of gzip magic": b"\x1f",
        "an sdist cut short after its first tar header": gz(tar)[:-200],
        # A later gzip member gzip refuses is BadGzipFile, an OSError warehouse does not catch (a 500).
        "a second gzip member of another compression method": gz(tar[:1536]) + b"\x1f\x8b\x07\x00" + b"\0" * 10,
        "bytes that are no gzip member after the first": gz(tar[:1536]) + b"XYZ" + b"\0" * 10,
        "a first gzip member whose CRC is wrong, read to its end": gz(tar[:1536])[:-8] + b"\0" * 8 + gz(tar[1536:]),
    }
    return c


def main():
    shapes.write(sys.argv[1], [(name, f"{TOP}.tar.gz", data) for name, data in cases().items()])

if __name__ == "__main__":
    main()
