"""Wheels whose RECORD, License-File or entry_points.txt warehouse reads after its archive checks
(warehouse/utils/wheel.py _validate_record, legacy.py's License-File loop), where what zipfile and
the csv module raise is caught only in part: a RECORD csv cannot read is "missing", a blank line in
it or a member zipfile cannot read is a server error, and a RECORD that does not list exactly the
wheel's files is accepted (warehouse e-mails the owners).

Usage: record_shapes.py OUTDIR — writes one directory per case and prints what shapes.py says.
"""

import sys

import shapes  # this folder: what every shape script prints
from zip_shapes import DIST_INFO, METADATA, NAME, WHEEL, bad_crc, files, wheel

RECORD = f"{DIST_INFO}/RECORD"
LICENSED = METADATA.replace(b"Metadata-Version: 2.1", b"Metadata-Version: 2.4") + b"License-File: LICENSE\n"


def with_record(text, extra=()):
    """The wheel's members (and `extra`), with RECORD's text replaced."""
    members = [(n, d) for n, d in files(extra) if n != RECORD]
    return wheel(members + [(RECORD, text if isinstance(text, bytes) else text.encode())])


def record_of(extra=(), before="", after=""):
    """The RECORD files() writes, with lines added before and after it."""
    text = dict(files(extra))[RECORD].decode()
    return before + text + after


def licensed():
    members = [(n, LICENSED if n.endswith("/METADATA") else d) for n, d in files([(f"{DIST_INFO}/licenses/LICENSE", b"MIT\n")])]
    return wheel(members)


def backslashed_and_quoted():
    """Windows separators (warehouse turns them into "/") and a quoted name holding a comma."""
    extra = [(f"{NAME}/a,b.py", b"")]
    text = (record_of(extra).replace(f"{NAME}/a,b.py,", f'"{NAME}/a,b.py",', 1)
            .replace(f"{NAME}/__init__.py,", f"{NAME}\\__init__.py,", 1))
    return with_record(text, extra)


def ended_by(boundaries):
    """RECORD's lines, each ended by the next of `boundaries` (str.splitlines splits at each)."""
    lines = record_of().split("\n")[:-1]
    return "".join(line + boundaries[i % len(boundaries)] for i, line in enumerate(lines))


def long_field(length):
    return with_record(record_of(after=f"{NAME}/x.py,sha256=x,{'1' * length}\n"))


def large_record(size):
    """RECORD's lines again and again up to `size` bytes: a wheel of ~400,000 files has one so large."""
    text = record_of()
    return with_record(text * (size // len(text) + 1))


def cases():
    entry_points = [(f"{DIST_INFO}/entry_points.txt", b"[console_scripts]\na = b:c\n")]
    return {
        "a plain wheel": wheel(),
        "a RECORD that does not list a file": with_record(record_of().replace(f"{NAME}/__init__.py,", "gone.py,", 1)),
        "a RECORD that lists a file the wheel lacks": with_record(record_of(after="missing/file.py,,\n")),
        "a RECORD with Windows separators and a quoted name": backslashed_and_quoted(),
        "a RECORD with a byte-order mark": with_record(b"\xef\xbb\xbf" + record_of().encode()),
        "a RECORD with CRLF, a form feed and a line separator": with_record(ended_by(["\r\n", "\f", "\u2028", "\x1e"])),
        "a RECORD with a quoted name over two lines": with_record(record_of(after=f'"{NAME}/x\n.py",,\n')),
        "a RECORD with a field of 131,072 characters": long_field(128 * 1024),
        "a RECORD with a field of 131,073 characters": long_field(128 * 1024 + 1),
        "a RECORD of 40 MiB": large_record(40 << 20),
        "a RECORD in Latin-1": with_record(record_of(after="caf\xe9.py,,\n").encode("latin-1")),
        "a RECORD with a blank line": with_record(record_of(after="\n\nlast.py,,\n")),
        "a RECORD with a bad CRC": bad_crc(wheel(), RECORD),
        "a wheel with its License-File": licensed(),
        "a License-File with a bad CRC": bad_crc(licensed(), f"{DIST_INFO}/licenses/LICENSE"),
        "an entry_points.txt with a bad CRC": bad_crc(wheel(files(entry_points)), f"{DIST_INFO}/entry_points.txt"),
    }


def main():
    shapes.write(sys.argv[1], [(name, WHEEL, data) for name, data in cases().items()])


if __name__ == "__main__":
    main()
