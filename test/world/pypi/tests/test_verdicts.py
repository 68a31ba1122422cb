"""The stand-in's verdicts on the examples of issue #14, each as warehouse's code gives it: check_offline
runs file_upload's checks that need no index state on a form and a file."""

import email.utils
import io
import os
import sys
import tarfile
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from standin import upload  # noqa: E402
from standin.upload import sanitize  # noqa: E402

import packaging  # noqa: E402


def wheel(tmp_path, name="sample_project", version="1.0", tag="py3-none-any", extra=None, filename=None):
    filename = filename or f"{name}-{version}-{tag}.whl"
    di = f"{name}-{version}.dist-info"
    members = {"sample_project/__init__.py": b"", f"{di}/WHEEL": b"Wheel-Version: 1.0\n",
               f"{di}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()}
    members.update(extra or {})
    members[f"{di}/RECORD"] = "".join(f"{n},,\n" for n in members).encode() + f"{di}/RECORD,,\n".encode()
    path = tmp_path / filename
    with zipfile.ZipFile(path, "w") as zf:
        for n, d in members.items():
            zf.writestr(zipfile.ZipInfo(n, date_time=(2024, 1, 1, 0, 0, 0)), d)
    return path


def form(filetype="bdist_wheel", pyversion="py3", version="1.0", **fields):
    pairs = [(":action", "file_upload"), ("protocol_version", "1"), ("metadata_version", "2.1"),
             ("name", "sample-project"), ("version", version), ("filetype", filetype), ("pyversion", pyversion),
             ("sha256_digest", "0" * 64)]
    for k, v in fields.items():
        pairs.extend((k, x) for x in (v if isinstance(v, list) else [v]))
    return pairs


def verdict(path, pairs):
    import hashlib
    pairs = [(k, hashlib.sha256(path.read_bytes()).hexdigest() if k == "sha256_digest" else v) for k, v in pairs]
    return upload.check_offline(pairs, str(path), path.name)


def test_warehouse_pins_are_used():
    assert packaging.__version__ == "26.2"


def test_sanitize_follows_the_last_value():
    assert sanitize([("a", "x"), ("a", "UNKNOWN ")]) == []
    assert sanitize([("a", "UNKNOWN"), ("a", "x")]) == [("a", "UNKNOWN"), ("a", "x")]
    assert sanitize([("a", "x"), ("b", "y"), ("a", "n\x00l")]) == [("b", "y"), ("a", "n\\x00l")]


def test_parseaddr_is_strict_as_on_pypi():
    # warehouse calls email.utils.parseaddr, strict since CPython 3.13: the stand-in runs 3.14, as PyPI.
    assert email.utils.parseaddr("jane@@example.org") == ("", "")
    assert email.utils.parseaddr("a@example.org, b@example.org") == ("", "")
    assert email.utils.parseaddr("Jane (x <jane@example.org>")[1] == ""
    assert email.utils.parseaddr("Jane <jane@example.org>")[1] == "jane@example.org"


def test_unknown_empty_and_rfc3986_urls_are_accepted(tmp_path):
    p = wheel(tmp_path)
    assert verdict(p, form(home_page="UNKNOWN", download_url="http://", author_email="Jane <jane@example.org",
                           maintainer_email="jane@@example.org", requires_python=">=3.9,",
                           project_urls=["Docs, https://exämple.org/a b", "Src, https://example.org/%zz"])) is None


def test_lower_case_charset_is_refused(tmp_path):
    p = wheel(tmp_path)
    assert verdict(p, form(description_content_type="text/markdown; charset=utf-8")) == (
        "'description-content-type' can only specify the UTF-8 charset, not 'utf-8'. "
        "See https://packaging.python.org/specifications/core-metadata for more information.")


def test_platform_tag_case_and_empty_abi(tmp_path):
    assert verdict(wheel(tmp_path, tag="py3-none-Any"), form()) is None
    assert verdict(wheel(tmp_path, tag="py3--any"), form(pyversion="1.0")) is None


def test_entry_points_and_pyarmor_are_refused(tmp_path):
    di = "sample_project-1.0.dist-info"
    ep = wheel(tmp_path, extra={f"{di}/entry_points.txt": b"[console_scripts]\n../x = a:b\n"})
    assert verdict(ep, form()) == ("Wheel 'sample_project-1.0-py3-none-any.whl' has invalid entry points "
                                   "defined in the entry_points.txt file")
    armor = wheel(tmp_path / "..", extra={"sample_project/x.py": b"__pyarmor__(__name__, __file__, b'')"})
    assert verdict(armor, form()).startswith("Invalid distribution file. PyArmor-encrypted content is not allowed.")


def test_wheel_name_of_246_bytes_is_accepted_247_refused(tmp_path):
    v246 = "10" + ".1" * ((246 - len("sample_project--py3-none-any.whl") - 2) // 2)
    p = wheel(tmp_path, version=v246)
    assert len(p.name.encode()) == 246
    assert verdict(p, form(version=v246)) is None
    v247 = v246 + "1"
    q = wheel(tmp_path, version=v247)
    assert verdict(q, form(version=v247)) == f"Filename is too long: '{q.name}'"


def test_tar_gz_with_trailing_bytes_and_odd_members_is_accepted(tmp_path):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name, data in [("sample_project-1.0/PKG-INFO", b"Metadata-Version: 2.1\n")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        dev = tarfile.TarInfo("sample_project-1.0/tty")
        dev.type = tarfile.CHRTYPE
        tf.addfile(dev)
        link = tarfile.TarInfo("sample_project-1.0/passwd")
        link.type, link.linkname = tarfile.SYMTYPE, "../../etc/passwd"
        tf.addfile(link)
    p = tmp_path / "sample_project-1.0.tar.gz"
    p.write_bytes(buf.getvalue() + b"trailing garbage")
    assert verdict(p, form(filetype="sdist", pyversion="source")) is None
