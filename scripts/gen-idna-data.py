"""Writes src/dists/data/idna.json from the idna package warehouse pins (the one email-validator calls
for an internationalized e-mail domain): the UTS #46 mapping table uts46_remap reads (each range's
first code point, status letter and replacement) and the IDNA 2008 code point classes check_label
allows (PVALID, CONTEXTJ, CONTEXTO) as [first, last] ranges, and the bidirectional class of every
code point its Bidi rule reads. __tests__/dists/idna-data.test.ts fails
while the committed file differs from what the pin yields.

  .venv/bin/python scripts/gen-idna-data.py [--check]
"""

import json
import os
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, ".venv", "warehouse-pins"))

import idna  # noqa: E402
from idna import idnadata  # noqa: E402
from idna.uts46data import uts46_replacements, uts46_starts, uts46_statuses  # noqa: E402

PATH = os.path.join(ROOT, "src", "dists", "data", "idna.json")


def classes(name):
    # intranges: each int packs [start, end) as start << 32 | end.
    return [[r >> 32, (r & 0xFFFFFFFF) - 1] for r in idnadata.codepoint_classes[name]]


def bidi():
    """unicodedata.bidirectional of every code point, as runs: check_bidi reads it (the Unicode of the
    Python running this, as for the stand-in; "" for an unassigned code point)."""
    starts, classes, prev = [], [], None
    for cp in range(0x110000):
        d = unicodedata.bidirectional(chr(cp))
        if d != prev:
            starts.append(cp)
            classes.append(d)
            prev = d
    return {"unicodedata": unicodedata.unidata_version, "starts": starts, "classes": classes}


def output():
    return {
        "source": f"idna {idna.__version__}",
        "uts46": {
            "starts": list(uts46_starts),
            "statuses": bytes(uts46_statuses).decode("ascii"),
            "replacements": {str(i): r for i, r in enumerate(uts46_replacements) if r is not None},
        },
        "pvalid": classes("PVALID"),
        "contextj": classes("CONTEXTJ"),
        "contexto": classes("CONTEXTO"),
        "bidi": bidi(),
    }


def main():
    text = json.dumps(output(), ensure_ascii=False, separators=(",", ":")) + "\n"
    current = open(PATH, encoding="utf-8").read() if os.path.exists(PATH) else None
    if "--check" in sys.argv:
        if current != text:
            print(f"{PATH} differs from what idna {idna.__version__} yields: run scripts/gen-idna-data.py")
            sys.exit(1)
        return
    with open(PATH, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
