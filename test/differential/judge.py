"""The stand-in's verdict (warehouse's file_upload checks that need no index state) on many files at once.

Input (JSON on stdin): [{"path", "filename", "form": [[name, value], ...] | "twine" | null}, ...] where
"form" is what the action would send ("twine": what twine would send). For a file the action would not send (it could not read it), the form is
built the way twine builds it, from packaging's reading of the metadata, so PyPI's answer on the
archive is still known. Output (JSON on stdout): [{"accepted": bool, "message": str | null,
"twine_form_equal": bool | null, "server_error"?: exception name}, ...], in input order; "server_error"
is set when warehouse's checks raise what warehouse does not catch (PyPI's answer is a 500, no message).
"""

import json
import os
import re
import sys
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "world", "pypi"))

from standin import upload  # noqa: E402  (first: warehouse's pins of packaging & co)

from packaging import metadata as pm  # noqa: E402
from twine.wheel import wheel_file_re  # noqa: E402

# twine/package.py _RAW_TO_PACKAGE_METADATA (raw key -> form field)
_RAW_TO_FORM = {k: k for k in pm._RAW_TO_EMAIL_MAPPING}
_RAW_TO_FORM.update({"platforms": "platform", "supported_platforms": "supported_platform",
                     "license_files": "license_file"})
_RAW_TO_FORM.pop("import_names", None)
_RAW_TO_FORM.pop("import_namespaces", None)
_ORDER = ["metadata_version", "name", "version", "platforms", "summary", "description", "keywords", "home_page",
          "author", "author_email", "license", "supported_platforms", "download_url", "classifiers", "requires",
          "provides", "obsoletes", "maintainer", "maintainer_email", "requires_dist", "provides_dist",
          "obsoletes_dist", "requires_python", "requires_external", "project_urls", "description_content_type",
          "provides_extra", "dynamic", "license_expression", "license_files"]


def _read_metadata(path, filename):
    try:
        if filename.endswith(".whl"):
            with zipfile.ZipFile(path) as zf:
                names = [n for n in zf.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
                return zf.read(names[0]) if names else None
        if filename.endswith(".zip"):
            with zipfile.ZipFile(path) as zf:
                root = os.path.commonpath(zf.namelist())
                return zf.read(root.rstrip("/") + "/PKG-INFO")
        with tarfile.open(path, "r:gz") as tf:
            root = os.path.commonpath(tf.getnames())
            f = tf.extractfile(tf.getmember(root.rstrip("/") + "/PKG-INFO"))
            return f.read() if f else None
    except Exception:
        return None


def twine_form(path, filename):
    """twine's upload form for the file, without twine's own refusals; None if unreadable."""
    data = _read_metadata(path, filename)
    if data is None:
        return None
    raw, _unparsed = pm.parse_email(data)
    try:
        from packaging.version import Version
        if Version(raw.get("metadata_version", "0")) < Version("2.4"):
            raw.pop("license_files", None)
    except Exception:
        raw.pop("license_files", None)
    form = []
    for key in _ORDER:
        if key not in raw or key not in _RAW_TO_FORM:
            continue
        value, field = raw[key], _RAW_TO_FORM[key]
        if key == "name":
            form.append((field, re.sub("[^A-Za-z0-9.]+", "-", value)))
        elif key == "keywords":
            form.append((field, ", ".join(value)))
        elif key == "project_urls":
            form.extend((field, f"{label}, {url}") for label, url in value.items())
        elif isinstance(value, list):
            form.extend((field, item) for item in value)
        else:
            form.append((field, value))
    if filename.endswith(".whl"):
        m = wheel_file_re.match(filename)  # twine's own: twine/wheel.py Wheel.py_version
        form.append(("pyversion", m.group("pyver") if m else "any"))
        form.append(("filetype", "bdist_wheel"))
    else:
        form.append(("pyversion", "source"))
        form.append(("filetype", "sdist"))
    return form


def fallback_form(filename):
    """A form for a file nobody can read the metadata of: enough for PyPI to judge the archive. The
    filetype follows the extension, compared without case (".WHL" is sent as a wheel)."""
    wheel = filename.lower().endswith(".whl")
    parts = filename.split("-")
    return [("metadata_version", "2.1"), ("name", "sample-project"), ("version", "1.0"),
            ("pyversion", parts[-3] if wheel and len(parts) > 3 else "source"),
            ("filetype", "bdist_wheel" if wheel else "sdist")]


def judge(case):
    path, filename, form = case["path"], case["filename"], case.get("form")
    twine = twine_form(path, filename)
    # "twine": the form twine would send (for tests that judge a file on its own). A file the action
    # cannot read is judged on its archive alone (no client could send its metadata).
    if form == "twine":
        form = twine
    sent = [tuple(p) for p in form] if form is not None else fallback_form(filename)
    if not any(k == ":action" for k, _ in sent):
        sent = [(":action", "file_upload"), ("protocol_version", "1")] + list(sent)
    if not any(k.endswith("_digest") for k, _ in sent):
        sent.append(("sha256_digest", upload._file_digests(path)["sha256"]))
    try:
        message = upload.check_offline(sent, path, filename)
    except upload.UploadError:
        raise
    except Exception as e:  # noqa: BLE001  what warehouse does not catch: PyPI answers a server error (500)
        return {"accepted": False, "message": None, "server_error": type(e).__name__, "twine_form_equal": None}
    equal = None
    if form is not None and form is not twine and twine is not None:
        strip = lambda pairs: [tuple(p) for p in pairs if not p[0].endswith("_digest") and p[0] not in (":action", "protocol_version")]  # noqa: E731
        equal = strip(form) == strip(twine)
    return {"accepted": message is None, "message": message, "twine_form_equal": equal}


def main():
    cases = json.load(sys.stdin)
    json.dump([judge(c) for c in cases], sys.stdout)


if __name__ == "__main__":
    main()
