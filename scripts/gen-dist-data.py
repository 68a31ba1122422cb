"""Writes the data PyPI's metadata rules need, from the packages warehouse pins, as JSON the pre-flight
imports (src/dists/data/*.json, committed). Run after changing a pin; __tests__/dists/data.test.ts
fails while the committed files differ from what the pins yield.

  .venv/bin/python scripts/gen-dist-data.py [--check]

- trove-classifiers.json: every classifier PyPI accepts, and the deprecated ones with their
  replacements (trove-classifiers, pinned in test/world/pypi/requirements.txt).
- spdx.json: SPDX license and exception identifiers as packaging.licenses knows them, keyed by their
  lower-case form (packaging, at warehouse's pin, test/world/pypi/requirements-warehouse.txt).
- unicode-widths.json: the code points docutils counts twice in a table (unicodedata.east_asian_width
  W or F: pad_double_width) and those it drops (unicodedata.combining: strip_combining_chars), as
  [first, last] ranges, from the unicodedata of the Python that runs docutils.
"""

import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, ".venv", "warehouse-pins"))

import packaging  # noqa: E402
import trove_classifiers  # noqa: E402
from importlib.metadata import version  # noqa: E402
from packaging.licenses import _spdx  # noqa: E402


def outputs():
    classifiers = {
        "source": f"trove-classifiers {version('trove-classifiers')}",
        "all": sorted(trove_classifiers.all_classifiers),
        "deprecated": {k: list(v) for k, v in sorted(trove_classifiers.deprecated_classifiers.items())},
    }
    spdx = {
        "source": f"packaging {packaging.__version__} (packaging.licenses)",
        "licenses": {k: v["id"] for k, v in sorted(_spdx.LICENSES.items())},
        "exceptions": {k: v["id"] for k, v in sorted(_spdx.EXCEPTIONS.items())},
    }
    return {"trove-classifiers.json": classifiers, "spdx.json": spdx, "unicode-widths.json": unicode_widths()}


def ranges(test):
    out = []
    for cp in range(0x110000):
        if test(chr(cp)):
            if out and out[-1][1] == cp - 1:
                out[-1][1] = cp
            else:
                out.append([cp, cp])
    return out


def unicode_widths():
    import unicodedata
    return {
        "source": f"unicodedata {unicodedata.unidata_version}",
        "wide": ranges(lambda c: unicodedata.east_asian_width(c) in "WF"),
        "combining": ranges(lambda c: unicodedata.combining(c) != 0),
    }


def main():
    check = "--check" in sys.argv
    stale = []
    for name, data in outputs().items():
        path = os.path.join(ROOT, "src", "dists", "data", name)
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if current != text:
            stale.append(name)
            if not check:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
    if check and stale:
        print("stale: " + ", ".join(stale) + " (run .venv/bin/python scripts/gen-dist-data.py)")
        sys.exit(1)


if __name__ == "__main__":
    main()
