"""Distribution archive sanity checks, following warehouse's forklift rules (behaviour, messages)."""

import configparser
import csv
import os
import pathlib
import re
import struct
import tarfile
import zipfile
import zlib

ONE_MIB = 1 << 20
COMPRESSION_RATIO_MIN_SIZE = 64 * ONE_MIB
COMPRESSION_RATIO_THRESHOLD = 50

SIG_CD = b"PK\x01\x02"
SIG_LOCAL = b"PK\x03\x04"
SIG_EOCD = b"PK\x05\x06"
SIG_EOCD64 = b"PK\x06\x06"
SIG_EOCD64_LOC = b"PK\x06\x07"
_UNPRINTABLE = set(range(0x20)) | {0x7F}


class _Bad(Exception):
    pass


def _read(fp, n):
    d = fp.read(n)
    if len(d) != n:
        raise _Bad("Malformed zip file")
    return d


def _check_name(name):
    if any(c in _UNPRINTABLE for c in name):
        raise _Bad("Invalid character in filename")


def validate_zip_framing(zf):
    """Walk the records sequentially and require that a streaming reader and a central-directory
    reader see the same archive (no duplicates, no data descriptors, no trailing data...)."""
    sizes = {i.orig_filename: (i.compress_size, i.file_size) for i in zf.filelist}
    fp = zf.fp
    pos0 = fp.tell()
    try:
        fp.seek(0)
        local, central = set(), set()
        cd_records, cd_offset, cd_size = 0, None, 0
        eocd64_expected = eocd64_actual = None
        e_records = e_size = e_offset = None
        while True:
            try:
                sig = _read(fp, 4)
                if sig == SIG_EOCD and eocd64_expected is not None and eocd64_actual is None:
                    return False, "Malformed zip file"
                if sig == SIG_CD:
                    if cd_offset is None:
                        cd_offset = fp.tell() - 4
                    cd_records += 1
                    _, nlen, xlen, clen, _ = struct.unpack("<xxxxxxxxxxxxxxxxLxxxxHHHxxxxxxxxL", _read(fp, 42))
                    if clen != 0:
                        raise _Bad("Comment in central directory")
                    name = _read(fp, nlen)
                    _read(fp, xlen)
                    _check_name(name)
                    cd_size += 46 + nlen + xlen
                    if name in central:
                        raise _Bad("Duplicate filename in central directory")
                    if name not in local:
                        raise _Bad("Missing filename in local headers")
                    central.add(name)
                elif sig == SIG_LOCAL:
                    gpbf, method, csize, usize, nlen, xlen = struct.unpack("<xxHHxxxxxxxxLLHH", _read(fp, 26))
                    name = _read(fp, nlen)
                    extra = _read(fp, xlen)
                    _check_name(name)
                    seen = set()
                    while extra:
                        if len(extra) < 4:
                            raise _Bad("Malformed zip file")
                        xid, xsz = struct.unpack("<HH", extra[:4])
                        if xsz + 4 > len(extra):
                            raise _Bad("Malformed zip file")
                        if xid in seen and xid in (0x0001, 0x7075):
                            raise _Bad("Invalid duplicate extra in local file")
                        seen.add(xid)
                        if xid == 0x0001:
                            if xsz not in (0, 8, 16, 24, 28):
                                raise _Bad("Malformed zip file")
                            if xsz == 0 and 0xFFFFFFFF in (csize, usize):
                                raise _Bad("Malformed zip file")
                            if xsz == 8:
                                if method != 0:
                                    raise _Bad("Malformed zip file")
                                (u,) = struct.unpack("<Q", extra[4:12])
                                csize = u
                                if usize == 0xFFFFFFFF:
                                    usize = u
                            elif xsz > 8:
                                if usize == 0xFFFFFFFF:
                                    (usize,) = struct.unpack("<Q", extra[4:12])
                                (csize,) = struct.unpack("<Q", extra[12:20])
                        elif xid == 0x7075:
                            uname = extra[9:4 + xsz]
                            _check_name(uname)
                            try:
                                uname.decode("utf-8")
                            except UnicodeError:
                                raise _Bad("Filename not valid UTF-8")
                        extra = extra[xsz + 4:]
                    if gpbf & 0x08:
                        raise _Bad("ZIP contains a data descriptor")
                    try:
                        expected = sizes[name.decode("utf-8")]
                    except UnicodeError:
                        raise _Bad("Filename not unicode")
                    except KeyError:
                        raise _Bad("Filename not in central directory")
                    if expected[0] != csize:
                        raise _Bad("Mis-matched data size")
                    if expected[1] != usize:
                        raise _Bad("Mis-matched file size")
                    fp.seek(csize, os.SEEK_CUR)
                    if name in local:
                        raise _Bad("Duplicate filename in local headers")
                    local.add(name)
                elif sig == SIG_EOCD:
                    if cd_offset is None:
                        cd_offset = fp.tell() - 4
                    on_disk, recs, size, off, clen = struct.unpack("<xxxxHHLLH", _read(fp, 18))
                    if on_disk != recs:
                        raise _Bad("Malformed zip file")
                    fp.seek(clen, os.SEEK_CUR)
                    if not (eocd64_actual is not None and e_offset is not None):
                        e_records, e_size, e_offset = recs, size, off
                    if e_records != cd_records:
                        raise _Bad("Mismatched central directory records")
                    if e_offset != cd_offset:
                        raise _Bad("Mismatched central directory offset")
                    if e_size != cd_size:
                        raise _Bad("Mismatched central directory size")
                    break
                elif sig == SIG_EOCD64:
                    eocd64_expected = fp.tell() - 4
                    sz, on_disk, recs, size, off = struct.unpack("<QxxxxxxxxxxxxQQQQ", _read(fp, 52))
                    if on_disk != recs:
                        raise _Bad("Malformed zip file")
                    if sz != 44:
                        raise _Bad("ZIP64 extensible data not allowed")
                    e_records, e_size, e_offset = recs, size, off
                elif sig == SIG_EOCD64_LOC:
                    (eocd64_actual,) = struct.unpack("<xxxxQxxxx", _read(fp, 16))
                else:
                    return False, "Unknown record signature"
            except _Bad as e:
                return False, e.args[0]
        if central != local:
            return False, "Mis-matched local headers and central directory"
        cur = fp.tell()
        fp.seek(0, os.SEEK_END)
        if cur != fp.tell():
            return False, "Trailing data"
        return True, None
    finally:
        fp.seek(pos0)


def _commonpath(names):
    """warehouse's _commonpath: "" for no names; os.path.commonpath's ValueError on names some
    absolute and some relative goes through (a server error)."""
    if not names:
        return ""
    return os.path.commonpath(names)


def _has_member(get_member, name):
    """Whether the archive holds `name`, asked through zipfile's read (which warehouse calls: what
    else it raises goes through) or tarfile's getmember (both raise KeyError for a missing member)."""
    try:
        get_member(name)
    except KeyError:
        return False
    return True


def _sdist_layout_error(names, get_member):
    """An sdist's members (zip or tar) share one top-level directory, which holds PKG-INFO: None, else
    warehouse's message."""
    top = _commonpath(names)
    if top in (".", "/", ""):
        return "Incorrect number of top-level directories in sdist"
    target = os.path.join(top, "PKG-INFO")
    if not _has_member(get_member, target):
        return f"PKG-INFO not found at {target}"
    return None


def open_archive(path, filename):
    """warehouse's _open_dist_file, opened before any check: the archive (zip for .whl/.zip, tar.gz),
    or None where it raised what warehouse catches there; what else it raises goes through."""
    try:
        if filename.endswith((".zip", ".whl")):
            return zipfile.ZipFile(path)
        if filename.endswith(".tar.gz"):
            return tarfile.open(path, mode="r:gz")
    except (zipfile.BadZipFile, tarfile.ReadError, EOFError):
        return None
    return None


def is_valid_dist_file(path, filename, archive):
    """(ok, message) as warehouse's _is_valid_dist_file (without the YARA scan)."""
    is_zip = zipfile.is_zipfile(path)
    is_tar = tarfile.is_tarfile(path)
    if is_zip and is_tar:
        return False, "File is both a zip and a tar file"
    if filename.endswith((".zip", ".whl")):
        if not is_zip:
            return False, "File is not a zipfile"
        try:
            zf = archive if isinstance(archive, zipfile.ZipFile) else zipfile.ZipFile(path)
            compressed = os.stat(path).st_size
            decompressed = sum(e.file_size for e in zf.infolist())
            if decompressed > COMPRESSION_RATIO_MIN_SIZE and decompressed / compressed > COMPRESSION_RATIO_THRESHOLD:
                return False, f"File exceeds compression ratio of {COMPRESSION_RATIO_THRESHOLD}"
            for zi in zf.infolist():
                if zi.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    return False, "File does not use a supported compression type"
            if filename.endswith(".zip"):
                # read, as warehouse reads it: BadZipFile is "None", what else zipfile raises goes through
                err = _sdist_layout_error(zf.namelist(), zf.read)
                if err:
                    return False, err
            if filename.endswith(".whl"):
                try:
                    name, version, _ = os.path.basename(filename).split("-", 2)
                except ValueError:
                    return False, "Unable to parse name and version from wheel filename"
                target = f"{name}-{version}.dist-info/WHEEL"
                if not _has_member(zf.read, target):
                    return False, f"WHEEL not found at {target}"
            found = scan_members(_zip_members(zf))
            if found:
                return False, found
            ok, err = validate_zip_framing(zf)
            if not ok:
                return False, f"ZIP archive not accepted: {err}. See https://docs.pypi.org/archives for more information"
        except zipfile.BadZipFile:
            return False, None
    elif filename.endswith(".tar.gz"):
        if not is_tar:
            return False, "File is not a tarfile"
        try:
            tf = archive if isinstance(archive, tarfile.TarFile) else tarfile.open(path, "r:gz")
            members = tf.getmembers()
            if any(m.issparse() for m in members):
                return False, ("tar archive not accepted: Sparse members are not allowed. "
                               "See https://docs.pypi.org/archives for more information")
            err = _sdist_layout_error([m.name for m in members], tf.getmember)
            if err:
                return False, err
            found = scan_members(_tar_members(tf))
            if found:
                return False, found
        except (tarfile.ReadError, EOFError, zlib.error):
            return False, None
    return True, None


def wheel_record_matches(zf, name, version):
    """warehouse/utils/wheel.py _validate_record: None when RECORD is missing or unreadable
    (MissingWheelRecordError), else whether it lists exactly the wheel's files; a mismatch is
    accepted (warehouse e-mails the owners about it). What zipfile raises reading it, and the
    ValueError of a blank line's empty row, go through: a server error."""
    exempt = {f"{name}-{version}.dist-info/RECORD.jws", f"{name}-{version}.dist-info/RECORD.p7s"}
    try:
        contents = zf.read(f"{name}-{version}.dist-info/RECORD").decode()
        listed = {fn.replace("\\", "/") for fn, *_ in csv.reader(contents.splitlines())}
        files = {fn for fn in zf.namelist() if not fn.endswith(("/", "\\")) and fn not in exempt}
    except (UnicodeError, KeyError, csv.Error):
        return None
    return listed == files


# ------------------------------------------------------------------------------ content scan
# warehouse/utils/scanner.py with its YARA rules (scanner_rules/*.yar), restated as substring tests:
# .py and .pye members (suffix compared lower-case) up to 5 MiB, each file on its own (a match that
# only spans two concatenated files is discarded there), rules in file-name order.
_SCAN_EXTENSIONS = {".py", ".pye"}
_SCAN_MAX_FILE_SIZE = 5 * ONE_MIB
_POLICY = "See https://pypi.org/policy/acceptable-use-policy/ for more information."
_PYARMOR_MARKERS = (b"__pyarmor__(__name__, __file__,", b"__pyarmor_enter__", b"__pyarmor_exit__",
                    b"__pyarmor_assert__", b"__pyarmor_bcc__")
_PYE_MARKERS = (b"---BEGIN PYE FILE---", b"---END PYE FILE---")


def _suffix(name):
    return pathlib.PurePosixPath(name).suffix.lower()


def _zip_members(zf):
    for info in zf.infolist():
        if info.is_dir() or _suffix(info.filename) not in _SCAN_EXTENSIONS:
            continue
        yield zf.read(info.filename)


def _tar_members(tf):
    for member in tf.getmembers():
        if not member.isfile() or _suffix(member.name) not in _SCAN_EXTENSIONS:
            continue
        f = tf.extractfile(member)
        if f is not None:
            yield f.read()


def scan_members(members):
    """The first rule message a member matches, or None."""
    for data in members:
        if len(data) > _SCAN_MAX_FILE_SIZE:
            continue
        if any(m in data for m in _PYARMOR_MARKERS):
            return f"PyArmor-encrypted content is not allowed. {_POLICY}"
        if all(m in data for m in _PYE_MARKERS):
            return f"SourceDefender-encrypted content is not allowed. {_POLICY}"
    return None


# ------------------------------------------------------------------------------ entry points
_ENTRY_POINT_NAME_RE = re.compile(r"[\w.-]+")


class _CaseSensitiveConfigParser(configparser.ConfigParser):
    optionxform = staticmethod(str)


def wheel_entry_points_valid(zf, name, version):
    """warehouse/utils/wheel.py validate_entrypoints: UTF-8, an INI file with "=" as the only
    delimiter, and console/gui script names matching [\\w.-]+."""
    try:
        text = zf.read(f"{name}-{version}.dist-info/entry_points.txt").decode()
    except KeyError:
        return True
    except UnicodeError:
        return False
    parser = _CaseSensitiveConfigParser(delimiters=("=",))
    try:
        parser.read_string(text)
    except configparser.Error:
        return False
    for section_name in ("console_scripts", "gui_scripts"):
        if section_name not in parser:
            continue
        if any(_ENTRY_POINT_NAME_RE.fullmatch(ep) is None for ep in parser[section_name]):
            return False
    return True
