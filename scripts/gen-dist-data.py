"""Writes the data PyPI's metadata rules need, from the packages warehouse pins, as JSON the pre-flight
imports (src/dists/data/*.json, committed). Run after changing a pin; __tests__/dists/data.test.ts
fails while the committed files differ from what the pins yield.

  .venv/bin/python scripts/gen-dist-data.py [--check]

- trove-classifiers.json: every classifier PyPI accepts, and the deprecated ones with their
  replacements (trove-classifiers, pinned in test/world/pypi/requirements.txt).
- spdx.json: SPDX license and exception identifiers as packaging.licenses knows them, keyed by their
  lower-case form (packaging, at warehouse's pin, test/world/pypi/requirements-warehouse.txt).
- rst-directives.json: docutils' directives (English names and aliases, with the name an alias stands
  for) with the arguments they take, whether they take content,
  and their options, each with how its value is judged (option_kind), and the values an `align`
  option accepts; and the letters nodes.make_id replaces before it drops what is not ASCII
  (docutils, at warehouse's pin).
- unicode-widths.json: the code points docutils counts twice in a table (unicodedata.east_asian_width
  W or F: pad_double_width) and those it drops (unicodedata.combining: strip_combining_chars), as
  [first, last] ranges, from the unicodedata of the Python that runs docutils.
- python-classes.json: the characters Python's re takes for \\w, "_" aside (docutils' simplename, in
  reference names, directive names and labels; names in entry points, wheel file names and
  requirements), those it takes for \\d (the digits int() reads) and those repr() escapes (not
  str.isprintable()), as [first, last] ranges: the Unicode of CPython 3.14, which PyPI runs, not the
  newer one of Node.
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
    return {"trove-classifiers.json": classifiers, "spdx.json": spdx, "unicode-widths.json": unicode_widths(),
            "rst-directives.json": rst_directives(), "python-classes.json": python_classes()}


def rst_directives():
    import docutils
    from docutils.parsers.rst import directives
    from docutils.parsers.rst.languages import en
    out = {}
    for name in sorted(set(en.directives) | set(directives._directive_registry)):
        module, cls = directives._directive_registry[en.directives.get(name, name)]
        directive = getattr(__import__(f"docutils.parsers.rst.directives.{module}", fromlist=[cls]), cls)
        spec = directive.option_spec or {}
        options = {opt: option_kind(convert) for opt, convert in spec.items()}
        entry = {"required": directive.required_arguments, "optional": directive.optional_arguments,
                 "finalWhitespace": bool(directive.final_argument_whitespace),
                 "content": bool(directive.has_content), "options": options}
        if en.directives.get(name, name) != name:
            entry["canonical"] = en.directives[name]
        if "align" in spec:
            entry["align"] = [v for v in ("top", "middle", "bottom", "left", "center", "right") if accepts(spec["align"], v)]
        out[name] = entry
    from docutils import nodes
    make_id = {"digraphs": {chr(k): v for k, v in sorted(nodes._non_id_translate_digraphs.items())},
               "letters": {chr(k): v for k, v in sorted(nodes._non_id_translate.items())}}
    return {"source": f"docutils {docutils.__version__}", "directives": out, "makeId": make_id}


# docutils' conversion functions whose refusals src/dists/rst-directive-options.ts follows, by the
# kind it knows them as.
CONVERTERS = {"length_or_unitless": "length", "length_or_percentage_or_unitless": "length_or_percentage",
              "percentage": "percentage", "class_option": "class", "Figure.figwidth_value": "figwidth",
              "single_char_or_unicode": "char", "single_char_or_whitespace_or_unicode": "char_or_whitespace"}


def option_kind(convert):
    """How an option's value is judged: by the conversion's name where it is plain (flag, the
    integers, align) or followed (CONVERTERS, a choice of values, a value or a list of positive
    integers or an integer), else whether it refuses no value at all (as docutils reports: ValueError
    or TypeError), "any" when it takes none, "unjudged" when it fails otherwise."""
    if convert.__name__ in ("flag", "int", "nonnegative_int", "positive_int", "align"):
        return convert.__name__
    name = convert.__qualname__
    if name in CONVERTERS:
        return CONVERTERS[name]
    if name.endswith(".auto_or_other"):
        cells = dict(zip(convert.__code__.co_freevars, (c.cell_contents for c in convert.__closure__)))
        values, other = cells["values"], cells["other"]
        if other.__name__ in ("int", "positive_int_list"):
            return f"{other.__name__} or " + " ".join("None" if v is None else v for v in values)
    choices = [v for v in ("embed", "link", "lazy", "entry", "top", "none") if accepts(convert, v)]
    if name in ("Image.loading", "Contents.backlinks") and choices:
        return "choice " + " ".join(choices)
    try:
        convert(None)
        return "any"
    except (ValueError, TypeError):
        return "value"
    except Exception:
        return "unjudged"


def accepts(convert, value):
    try:
        convert(value)
        return True
    except ValueError:
        return False


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


def python_classes():
    import re
    import unicodedata
    word = re.compile(r"\w")
    digit = re.compile(r"\d")
    return {
        "source": f"Python {sys.version_info.major}.{sys.version_info.minor} re, unicodedata {unicodedata.unidata_version}",
        "word": ranges(lambda c: c != "_" and word.match(c) is not None),
        "digit": ranges(lambda c: digit.match(c) is not None),
        "unprintable": ranges(lambda c: not c.isprintable()),
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
