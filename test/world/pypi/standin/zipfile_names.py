"""Member names as PyPI's Python (3.14) reads them. Since CPython 3.12, zipfile names a member by its
Info-ZIP Unicode Path extra field (0x7075) when that is version 1 and carries the CRC-32 of the raw
name (ZipInfo._decodeExtra), and refuses a field too short for those or not UTF-8; and a member whose
name is empty is no directory (ZipInfo.is_dir tests endswith, where 3.11 indexed the last character
and raised IndexError). On an older Python this module applies those rules; on 3.12 and later it
does nothing."""

import struct
import sys
import zipfile
from zlib import crc32


def _sanitized(name):
    nul = name.find("\0")
    return name if nul < 0 else name[:nul]


def _unicode_path(info):
    raw = info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")
    extra = info.extra
    while len(extra) >= 4:
        tp, ln = struct.unpack("<HH", extra[:4])
        if tp == 0x7075:
            data = extra[4:ln + 4]
            try:
                version, name_crc = struct.unpack("<BL", data[:5])
                if version == 1 and name_crc == crc32(raw):
                    name = data[5:].decode("utf-8")
                    if name:
                        info.filename = _sanitized(name)
            except struct.error as e:
                raise zipfile.BadZipFile("Corrupt unicode path extra field (0x7075)") from e
            except UnicodeDecodeError as e:
                raise zipfile.BadZipFile("Corrupt unicode path extra field (0x7075): invalid utf-8 bytes") from e
        extra = extra[ln + 4:]


def install():
    if sys.version_info >= (3, 12) or getattr(zipfile.ZipInfo, "_unicode_path_installed", False):
        return
    decode_extra = zipfile.ZipInfo._decodeExtra

    def _decodeExtra(self, *args):
        decode_extra(self, *args)
        _unicode_path(self)

    zipfile.ZipInfo._decodeExtra = _decodeExtra
    zipfile.ZipInfo.is_dir = lambda self: self.filename.endswith("/")
    zipfile.ZipInfo._unicode_path_installed = True
