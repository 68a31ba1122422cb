"""Print, as JSON, what packaging.metadata.parse_email reads from each dist's METADATA / PKG-INFO.

Usage: read_metadata.py DIST...  →  {"<basename>": {"raw": {...}, "unparsed": {...}}, ...}
The metadata file is located the way PyPI does: wheels at "{name}-{version}.dist-info/METADATA"
(name and version split from the file name), sdists at "{commonpath}/PKG-INFO".
"""

import json
import os
import sys
import tarfile
import zipfile

from packaging.metadata import parse_email


def metadata_bytes(path: str) -> bytes:
    base = os.path.basename(path)
    if base.endswith(".whl"):
        name, version, _ = base.split("-", 2)
        with zipfile.ZipFile(path) as z:
            return z.read(f"{name}-{version}.dist-info/METADATA")
    if base.endswith(".zip"):
        with zipfile.ZipFile(path) as z:
            return z.read(os.path.commonpath(z.namelist()) + "/PKG-INFO")
    with tarfile.open(path, "r:gz") as t:
        top = os.path.commonpath(t.getnames())
        f = t.extractfile(t.getmember(f"{top}/PKG-INFO"))
        assert f is not None
        return f.read()


out = {}
for p in sys.argv[1:]:
    raw, unparsed = parse_email(metadata_bytes(p))
    out[os.path.basename(p)] = {"raw": raw, "unparsed": unparsed}
json.dump(out, sys.stdout)
