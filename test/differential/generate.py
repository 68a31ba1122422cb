"""Seeded generator of mutated wheels and sdists for the differential test (pre-flight vs stand-in).

Each file starts from a valid wheel or sdist and gets one to three mutations drawn from a catalogue
that covers every core-metadata field (values PyPI accepts and values it refuses), Metadata-Version
1.0-2.5 (and a few it refuses), file-name parts, encodings (BOM, CRLF, latin-1) and ZIP/tar framing.
Every file lands in its own directory (its name may collide with another case's).

    python generate.py --seed 14 --count 640 --out DIR     # writes DIR/0000/<file> ... and DIR/cases.json
"""

import argparse
import base64
import hashlib
import io
import json
import os
import random
import tarfile
import zipfile
import zlib

METADATA_VERSIONS = ["1.0", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "2.5"]

URLS = ["https://example.org/p", "http://example.org", "UNKNOWN", "", "http://", "https://exämple.org/",
        "https://example.org/a b", "https://example.org/%zz", "ftp://example.org/", "example.org",
        "https://[::1]/x", "https://example.org:99999/", "https://user:pw@example.org/", "mailto:a@example.org",
        "https:relative/path", "HTTPS://EXAMPLE.ORG/X", "https://example.org/?q=a|b", "https://example.org/#frag",
        "https://ex_ample.org/", "https://example.org:80/", "http://127.0.0.1:8080/", "https://exa mple.org/",
        "https://example.org/\u00e9", "javascript:alert(1)", "https://example.org/a%20b", "//example.org/x",
        "https://-bad-.org/", "https://[zz]/", "https://example.org:/", "https://example.org/<x>"]
EMAILS = ["jane@example.org", "Jane Doe <jane@example.org>", "UNKNOWN", "", "Jane <jane@example.org",
          "jane@@example.org", "jane@example", "jane@localhost", "a@b.c, d@e.f", '"Doe, Jane" <jane@example.org>',
          "jane.doe@example.co.uk", "jane..doe@example.org", "jané@example.org", "jane@exämple.org",
          "(comment) jane@example.org", "jane@example.org (Jane)", "jane@[127.0.0.1]", "jane@example.invalid",
          "jane@example.local", ".jane@example.org", "jane@-example.org", "jane", "<jane@example.org>",
          "jane@example.org,", "Jane (unbalanced <jane@example.org>", "jane@example.123", "x" * 65 + "@example.org",
          "jane@ex_ample.org", "jane+tag@example.org", '"jane doe"@example.org', "jane@example.test",
          "jane@sub.example.onion", "JANE@EXAMPLE.ORG", "jane@example.org.", "jane@a.b-c.de"]
SPECIFIERS = [">=3.9", ">=3.9,", ">= 3.9", ">=3.9.*", "~=3", "~=3.9", "==3.*", ">=3.9,<4", "bad", ">=3.9;",
              "3.9", "===foo", "!=3.0.*", ">=1.0+local", "", "UNKNOWN", ">=3.9, <4.0", "==3.9.*,>=3.9.1", "<>3",
              ">=3.9,,<4", " >=3.9 ", ">=v3.9", "==1.0+abc", ">=3.10.0rc1", "<=3.12.post1", ">3.9.dev0", "==3.9.*.*",
              ">=3.9 <4", "~=3.9.*", "=3.9", "==1!2.0", ">=3.9\t"]
REQUIREMENTS = ["requests", "requests>=2.0", "requests (>=2.0)", "requests[socks]>=2; python_version<'3.10'",
                "pkg @ https://example.org/pkg.whl", "pkg@git+https://example.org/r.git", "bad name",
                "pkg>=", "pkg; os_name == 'nt' and", "pkg; extra == 'test'", "pkg ; python_version >= \"3.8\"",
                "pkg[a,b] ~= 1.0", "pkg; platform_machine in 'x86_64 aarch64'", "pkg; foo == 'bar'", "pkg (>=1.0",
                "pkg==1.0.*", "pkg===1.0", "pkg>=1.0+local", "-pkg", "pkg[bad extra]", "pkg; python_version > 3",
                "pkg; (python_version >= '3.8') or (os_name == 'nt')", "pkg; implementation_name == \"cpython\"",
                "pkg >=1.0, <2.0", "pkg; 'a' == 'a'", "pkg; python_full_version ~= '3.8'", "pkg; sys_platform",
                "pkg@https://example.org/x.whl ; os_name=='nt'", "pkg>=1.0;", "pkg ; extra == 'Test_X'", "pkg,other",
                "pkg; platform_release >= '5.0'", "pkg; python_version == '3.*'", "pkg; dependency_groups == 'x'",
                "pkg; extras == 'x'", "Pkg.Name_x>=1", "pkg[]", "pkg; python_version in '3.8, 3.9'"]
CLASSIFIERS = ["Programming Language :: Python :: 3", "License :: OSI Approved :: MIT License",
               "Development Status :: 5 - Production/Stable", "Not :: A :: Classifier", "UNKNOWN",
               "Private :: Do Not Upload", "Natural Language :: Ukranian", "Programming Language :: Python :: 3.13",
               "Topic :: Software Development :: Libraries :: Python Modules", "programming language :: python :: 3",
               "Framework :: Django :: 5.2", "Operating System :: OS Independent", "Programming Language :: Python ::3",
               "Framework :: Django CMS :: 3.4", "Environment :: Console"]
LICENSE_EXPRESSIONS = ["MIT", "MIT OR Apache-2.0", "mit", "GPL-2.0+", "LicenseRef-Foo", "Apache-2.0 WITH LLVM-exception",
                       "Foo", "MIT AND", "(MIT", "MIT AND (Apache-2.0 OR BSD-3-Clause)", "MIT WITH Foo-exception",
                       "GPL-2.0-only WITH Classpath-exception-2.0", "LicenseRef-My_License", "DocumentRef-x:LicenseRef-y",
                       "mit or apache-2.0", "MIT  OR  Apache-2.0", "UNKNOWN", "", "Apache-2.0 with LLVM-exception",
                       "BSD-3-Clause OR", "LGPL-2.1-or-later", "MIT+", "(MIT OR Apache-2.0) AND BSD-2-Clause",
                       "GPL-3.0", "LicenseRef-", "MIT OR (Apache-2.0", "AGPL-3.0-or-later AND MIT", "NOASSERTION",
                       # packaging looks a LicenseRef's "+" form up without its "+": a KeyError, a server error
                       "LicenseRef-Foo+", "MIT OR LicenseRef-Foo+", "LicenseRef-Foo+ OR LicenseRef-Foo", "Foo OR LicenseRef-Bar+"]
LICENSE_FILES = ["LICENSE", "LICENSES/MIT.txt", "../LICENSE", "/abs/LICENSE", "LICEN*", "a\\b", "missing.txt", "C:/x", "", "UNKNOWN"]
CONTENT_TYPES = ["text/markdown", "text/markdown; charset=UTF-8", "text/markdown; charset=utf-8", "text/x-rst",
                 "text/plain", "text/html", "text/markdown; variant=CommonMark", "text/markdown; variant=foo",
                 "TEXT/MARKDOWN", "text/plain; charset=latin-1", "text/markdown; variant=GFM; charset=UTF-8",
                 "text/markdown;charset=UTF-8", "text/x-rst; charset=\"UTF-8\"", "UNKNOWN", "", "markdown",
                 "text/markdown; variant=gfm", "text/plain ; charset=UTF-8",
                 # packaging raises what warehouse does not catch (a server error): a folded value, and a
                 # parameter name ending the value with "*" (CPython's header parser: IndexError)
                 "text/markdown\n ; charset=UTF-8", "text/plain; a*", "text/markdown; charset*0*"]
DYNAMIC = ["Classifier", "classifier", "Name", "version", "Foo", "license-file", "Requires-Dist", "Home-page",
           "Import-Name", "Metadata-Version", "requires-python", "Keywords"]
EXTRAS = ["test", "Test_X", "bad extra", "-x", "a.b", "dev", "UNKNOWN", ""]
KEYWORDS = ["a, b, c", "a,b", "", "UNKNOWN", "single", "a b c"]
NAMES = ["Sample.Project", "sample_project", "UNKNOWN", "", "-bad", "café", "a", "x" * 40, "a__b", "Sample--Project"]
VERSIONS = ["1.0", "1.0.0", "1.0+local", "v1.0", "UNKNOWN", "bad", "1.0-1", "01.0", "1.0.post1", "1.0rc1", "1!2.0",
            "1.0.dev0", "1.0-dev", "1.0_1", " 1.0", "1.0.0a1.post2.dev3",
            # Python's \s around a version: \x1c-\x1f and \x85 are whitespace there, \ufeff is not
            "1.0\x85", "1.0\x1c", "\ufeff1.0"]
FREE_TEXT = ["plain text", "UNKNOWN", "", "Jane Doe", "  spaced  ", "tab\there", "Zoë Ünicode", "x" * 600]
DESCRIPTIONS_MD = ["# Title\n\nSome *markdown*.\n", "plain\n", "<script>alert(1)</script>\n", "| a | b |\n|---|---|\n"]
DESCRIPTIONS_RST = ["Title\n=====\n\nText.\n", "Title\n===\n\nText.\n", "Some text.\n", "``literal``\n",
                    "Heading\n-------\n\n* item\n* item\n"]
PLATFORM_TAGS = ["any", "Any", "ANY", "linux_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64",
                 "macosx_11_0_arm64", "macosx_10_9_x86_64", "macosx_12_1_arm64", "win_amd64", "Win_AMD64",
                 "musllinux_1_2_aarch64", "ios_13_0_arm64_iphoneos", "android_21_arm64_v8a", "pyemscripten_2024_0_wasm32",
                 "manylinux_2_17_x86_64.manylinux2014_x86_64", "linux_armv7l", "freebsd_13_amd64", "any.linux_x86_64",
                 "macosx_26_0_universal2", "manylinux1_x86_64"]
PY_TAGS = ["py3", "py2.py3", "cp312", "Py3", "3py", "py3.", ""]
ABI_TAGS = ["none", "", "cp312", "NONE", "abi3", "cp312.abi3"]
EXTENSIONS = [".egg", ".tgz", ".exe", ".WHL", ".TAR.GZ", ".tar.bz2", ".Zip"]
ENTRY_POINTS = ["[console_scripts]\nsample = sample:main\n", "[console_scripts]\nsample/evil = sample:main\n",
                "[console_scripts]\n../x = sample:main\n", "console_scripts]\nx = y\n", "no section\n",
                "[console_scripts]\nx = a\nx = b\n", "[console_scripts]\n[console_scripts]\n", "[gui_scripts]\ny z = a:b\n",
                "[console_scripts]\nx: y\n", "[other]\nany name at all = a:b\n", "[console_scripts]\n = a:b\n",
                "\ufeff[console_scripts]\nx = y\n", "[console_scripts]\nnaïve = a:b\n", "[console_scripts]\nx = y\n  z\n",
                "# comment\n[console_scripts]\n; c\nx=y\n", "[DEFAULT]\nbad key = 1\n[console_scripts]\nx = y\n",
                "[console_scripts]\nx = y\n\n\n  cont\n", "  [console_scripts]\nx = y\n", "[console_scripts]x\ny = z\n",
                "[a]\nk = v\n[a]\nk2 = v\n", "[console_scripts]\nX = a\nx = b\n", "[console_scripts]\nnovalue\n"]
PYARMOR = ["from pytransform import pyarmor_runtime\n__pyarmor__(__name__, __file__, b'\\x00')\n",
           "def f():\n    __pyarmor_enter__()\n", "x = '__pyarmor_bcc__'\n", "---BEGIN PYE FILE---\nabc\n---END PYE FILE---\n",
           "---BEGIN PYE FILE---\nonly the start\n", "print('pyarmor is a tool')\n"]


class Case:
    def __init__(self, rng, index):
        self.rng = rng
        self.index = index
        self.kind = rng.choice(["wheel", "sdist"])
        self.name = "sample_project"
        self.version = "1.0"
        # Mostly recent versions, so a field mutation is judged on its own, not refused as too new.
        self.mv = rng.choices(METADATA_VERSIONS, weights=[1, 1, 1, 3, 3, 3, 5, 5])[0]
        self.headers = [("Metadata-Version", self.mv), ("Name", "sample-project"), ("Version", "1.0"),
                        ("Summary", "A sample project")]
        self.body = None
        self.encoding = "utf-8"
        self.bom = False
        self.crlf = False
        self.filename = None
        self.py, self.abi, self.plat, self.build = "py3", "none", "any", None
        self.extension = None
        self.extra_members = {}
        self.drop_members = set()
        self.framing = None
        self.tar_specials = []
        self.mutations = []

    # --------------------------------------------------------------------- header helpers
    def set(self, field, value):
        self.headers = [(k, v) for k, v in self.headers if k.lower() != field.lower()]
        if value is not None:
            self.headers.append((field, value))

    def add(self, field, value):
        self.headers.append((field, value))


def _pick(rng, pool):
    return rng.choice(pool)


# ------------------------------------------------------------------------------- mutations
def m_field_string(c):
    field, pool = c.rng.choice([("Home-page", URLS), ("Download-URL", URLS), ("Author-email", EMAILS),
                                ("Maintainer-email", EMAILS), ("Requires-Python", SPECIFIERS),
                                ("License-Expression", LICENSE_EXPRESSIONS), ("Description-Content-Type", CONTENT_TYPES),
                                ("Summary", FREE_TEXT), ("Author", FREE_TEXT), ("Maintainer", FREE_TEXT),
                                ("License", FREE_TEXT), ("Keywords", KEYWORDS)])
    c.set(field, _pick(c.rng, pool))
    return f"{field}"


def m_field_list(c):
    field, pool = c.rng.choice([("Requires-Dist", REQUIREMENTS), ("Provides-Dist", REQUIREMENTS),
                                ("Obsoletes-Dist", REQUIREMENTS), ("Classifier", CLASSIFIERS),
                                ("Provides-Extra", EXTRAS), ("Dynamic", DYNAMIC), ("License-File", LICENSE_FILES),
                                ("Platform", FREE_TEXT), ("Supported-Platform", FREE_TEXT),
                                ("Requires-External", FREE_TEXT), ("Requires", REQUIREMENTS),
                                ("Provides", ["sample", "UNKNOWN", ""]), ("Obsoletes", ["old", ""]),
                                ("Import-Name", ["sample", "sample.sub", "", "bad name", "UNKNOWN"]),
                                ("Import-Namespace", ["ns", "", "1bad"])])
    for _ in range(c.rng.randint(1, 3)):
        c.add(field, _pick(c.rng, pool))
    if field == "License-File" and c.rng.random() < 0.7:
        c.extra_members["LICENSE"] = b"MIT\n"
    return field


def m_project_url(c):
    label = c.rng.choice(["Homepage", "Source", "", "x" * 33, "Docs, more", "UNKNOWN"])
    url = _pick(c.rng, URLS)
    c.add("Project-URL", c.rng.choice([f"{label}, {url}", f"{label},{url}", label, f", {url}"]))
    if c.rng.random() < 0.2:
        c.add("Project-URL", f"{label}, https://example.org/dup")
    return "Project-URL"


def m_name(c):
    n = _pick(c.rng, NAMES)
    c.set("Name", n)
    if c.rng.random() < 0.5 and n and n not in ("UNKNOWN",):
        c.name = n.replace("-", "_").replace(".", "_").lower() if c.rng.random() < 0.7 else n
    return "Name"


def m_version(c):
    v = _pick(c.rng, VERSIONS)
    c.set("Version", v)
    if c.rng.random() < 0.6:
        c.version = v.strip() if v.strip() else "1.0"
    return "Version"


def m_metadata_version(c):
    c.set("Metadata-Version", c.rng.choice(["2.0", "2.6", "3.0", "x", "", "1.0", "2.5", "UNKNOWN", None]))
    return "Metadata-Version"


def m_repeat(c):
    field = c.rng.choice(["Name", "Version", "Summary", "Home-page", "Author-email", "Requires-Python",
                          "Description-Content-Type", "Keywords", "License-Expression"])
    c.add(field, c.rng.choice(["again", "UNKNOWN", "", "1.0"]))
    return f"repeat {field}"


def m_unknown_field(c):
    c.add(c.rng.choice(["Foo-Bar", "Home-Page", "Author-Email", "Description", "X-Custom"]),
          c.rng.choice(["value", "UNKNOWN", "https://example.org/"]))
    return "unknown/case field"


def m_description(c):
    ct = c.rng.choice([None, "text/markdown", "text/x-rst", "text/plain"])
    if ct:
        c.set("Description-Content-Type", ct)
    pool = DESCRIPTIONS_MD if ct == "text/markdown" else DESCRIPTIONS_RST
    if c.rng.random() < 0.25:
        c.add("Description", _pick(c.rng, pool).split("\n")[0])
    else:
        c.body = _pick(c.rng, pool)
    return "description"


def m_encoding(c):
    which = c.rng.choice(["bom", "crlf", "latin1", "latin1-ascii"])
    if which == "bom":
        c.bom = True
    elif which == "crlf":
        c.crlf = True
    else:
        c.encoding = "latin-1"
        if which == "latin1":
            c.set("Author", "Zoë Ünicode")
    return which


def m_filename(c):
    part = c.rng.choice(["name", "version", "platform", "python", "abi", "build", "extension", "long", "ext-case"])
    if part == "name":
        c.name = c.rng.choice(["Sample_Project", "sample.project", "other_project", "sample-project", "sample__project"])
    elif part == "version":
        c.version = c.rng.choice(["1.0.0", "2.0", "1.0-1", "1.0_1", "bad", "01.0", "1.0+local"])
    elif part == "platform":
        c.plat = _pick(c.rng, PLATFORM_TAGS)
    elif part == "python":
        c.py = _pick(c.rng, PY_TAGS)
    elif part == "abi":
        c.abi = _pick(c.rng, ABI_TAGS)
    elif part == "build":
        c.build = c.rng.choice(["1", "2abc", "x", ""])
    elif part == "extension":
        c.extension = _pick(c.rng, EXTENSIONS)
    elif part == "ext-case":
        c.kind = "sdist" if c.rng.random() < 0.5 else "wheel"
        c.extension = ".zip" if c.kind == "sdist" else ".whl"
    else:
        # Names of 220-255 bytes: PyPI stores up to 246 for a wheel (it writes "<name>.metadata").
        want = c.rng.choice([230, 240, 246, 247, 250, 255])
        base = len("sample_project-1.0-py3-none-any.whl") if c.kind == "wheel" else len("sample_project-1.0.tar.gz")
        c.version = "1.0." + ".".join(["1"] * ((want - base - 1) // 2))
        if (want - base - 1) % 2:
            c.version += "0"
        c.set("Version", c.version)
    return f"filename {part}"


def m_wheel_members(c):
    c.kind = "wheel"
    what = c.rng.choice(["no-record", "record-latin1", "no-wheel", "no-metadata", "entry-points", "pyarmor",
                         "entry-points", "pyarmor", "dist-info-case", "bzip2", "license-present"])
    if what == "entry-points":
        c.extra_members["@dist-info/entry_points.txt"] = _pick(c.rng, ENTRY_POINTS).encode()
        if c.rng.random() < 0.1:
            c.extra_members["@dist-info/entry_points.txt"] = b"[console_scripts]\nx = \xff\n"
    elif what == "pyarmor":
        c.extra_members[c.rng.choice(["sample/core.py", "sample/CORE.PY", "sample/x.pye", "sample/x.txt"])] = \
            _pick(c.rng, PYARMOR).encode()
    elif what == "record-latin1":
        c.framing = "record-latin1"
    elif what == "license-present":
        c.extra_members["@dist-info/licenses/LICENSE"] = b"MIT\n"
        c.add("License-File", "LICENSE")
    else:
        c.framing = what
    return f"wheel {what}"


def m_sdist_members(c):
    c.kind = "sdist"
    what = c.rng.choice(["garbage", "truncated", "no-top", "two-top", "no-pkg-info", "device", "fifo", "dotdot",
                         "abs-link", "link-out", "pyarmor", "zip-sdist", "hardlink-out", "sparse", "garbage-gzip"])
    if what in ("device", "fifo", "dotdot", "abs-link", "link-out", "hardlink-out", "sparse"):
        c.tar_specials.append(what)
    elif what == "pyarmor":
        c.extra_members["sample/core.py"] = _pick(c.rng, PYARMOR).encode()
    elif what == "zip-sdist":
        c.extension = ".zip"
    else:
        c.framing = what
    return f"sdist {what}"


def m_zip_framing(c):
    c.framing = c.rng.choice(["zip-trailing", "zip-prefix", "zip-comment", "zip-dup", "zip-descriptor"])
    return c.framing


# ------------------------------------------------------------------------------- grammar fuzz
TRICKY = list("aZ09 @.-_\"()<>,;:=!~*+[]%/\\\t#?'") + ["é", "ü", "\u00a0", "\u200b", "Ω", "ｆ"]


def _noise(rng, n=3):
    return "".join(rng.choice(TRICKY) for _ in range(rng.randint(1, n)))


def _maybe(rng, text, p=0.15):
    # Sometimes insert a tricky character somewhere in an otherwise plausible value.
    if rng.random() >= p or not text:
        return text
    i = rng.randint(0, len(text))
    return text[:i] + _noise(rng, 2) + text[i:]


def fuzz_email(rng):
    local = rng.choice(["jane", "j.doe", "a+b", "x_y", "\"q x\"", "ü", "a..b", ".a", "b.", "", "o'neil", "x" * 70])
    domain = rng.choice(["example.org", "exämple.org", "ex-ample.co.uk", "a.b", "localhost", "ex_ample.org", "-x.org",
                         "x-.org", "xn--bcher-kva.example", "ab--cd.org", "example.123", "[1.2.3.4]", "example.org.", "",
                         "a" * 64 + ".org", "sub.example.test", "EXAMPLE.ORG"])
    addr = f"{local}@{domain}"
    form = rng.choice(["{a}", "Name <{a}>", "\"Last, First\" <{a}>", "{a} (Comment)", "<{a}>", "{a}, other@example.org",
                       "Name <{a}", "(x {a}", "{a}>", "Name {a}"])
    return _maybe(rng, form.format(a=addr))


def fuzz_url(rng):
    scheme = rng.choice(["https", "http", "HTTP", "ftp", "", "hxxp", "https:"])
    host = rng.choice(["example.org", "exämple.org", "ex ample.org", "[::1]", "[::1%25eth0]", "[::1%eth0]", "1.2.3.4",
                       "999.1.1.1", "user@example.org", "user:pw@example.org:8080", "example.org:65536", "example.org:",
                       "example.org:123456", "", "-x-.org", "[v1.x]", "[zz]"])
    path = rng.choice(["", "/", "/a/b", "/a b", "/%41%zz", "/[x]", "/ü", "/a/../b", "/./c", "?q=1", "?q=[1]", "#f", "/a|b", "/{x}"])
    sep = rng.choice(["://", ":", ":/", "//", ":///"])
    return _maybe(rng, f"{scheme}{sep}{host}{path}" if scheme else f"{sep.lstrip(':')}{host}{path}")


def fuzz_specifier(rng):
    parts = []
    for _ in range(rng.randint(1, 3)):
        op = rng.choice(["", "==", "!=", ">=", "<=", ">", "<", "~=", "===", "=", "=>", "<>"])
        ver = rng.choice(["3", "3.9", "3.9.*", "3.*", "1.0+loc", "1!2.0", "3.9rc1", "v3.9", "3.9.post1", "3.9.dev0",
                          "foo", "", "3.9.0a1", "2.7.*.*", "3..9", " 3.9 "])
        parts.append(f"{op}{rng.choice(['', ' '])}{ver}")
    return _maybe(rng, rng.choice([",", ", ", " , ", ",,"]).join(parts) + rng.choice(["", ",", " "]))


def fuzz_marker(rng):
    def atom():
        left = rng.choice(["python_version", "os_name", "os.name", "sys_platform", "extra", "platform_machine",
                           "implementation_name", "python_implementation", "dependency_groups", "'3.8'", "foo", "\"nt\""])
        op = rng.choice(["==", "!=", ">=", "<", "in", "not in", "notin", "~=", "===", "=", "is"])
        right = rng.choice(["'3.8'", "\"nt\"", "'Test_X'", "python_version", "'a b'", "3.8", "''", "'x"])
        return f"{left} {op} {right}"
    expr = atom()
    for _ in range(rng.randint(0, 2)):
        expr = f"{expr} {rng.choice(['and', 'or', 'AND', '&&'])} {atom()}"
    return rng.choice(["{e}", "({e})", "({e}", "{e})"]).format(e=expr)


def fuzz_requirement(rng):
    name = rng.choice(["pkg", "Pkg.Name_x", "pkg-", "1pkg", "pkg name", "pkg__x", "ü", ""])
    extras = rng.choice(["", "[a]", "[a,b]", "[ a , b ]", "[]", "[a b]", "[a,]", "[a"])
    detail = rng.choice(["", ">=1.0", " (>=1.0)", "(>=1.0", ">=1.0,<2", "==1.0.*", ">=1.0.*", "<=1.0+x", "@ https://e.org/x.whl",
                         "@https://e.org/x.whl", " @ ", "==", fuzz_specifier(rng)])
    marker = rng.choice(["", "", f"; {fuzz_marker(rng)}", f";{fuzz_marker(rng)}", " ;", f" ; {fuzz_marker(rng)}"])
    return _maybe(rng, f"{name}{extras}{detail}{marker}")


def fuzz_license(rng):
    tokens = ["MIT", "Apache-2.0", "mit", "GPL-2.0+", "LicenseRef-x", "LicenseRef-a_b", "(", ")", "AND", "OR", "WITH",
              "and", "or", "with", "LLVM-exception", "Foo", "Classpath-exception-2.0", "BSD-3-Clause", "NOT", "LicenseRef-x+"]
    return _maybe(rng, " ".join(rng.choice(tokens) for _ in range(rng.randint(1, 6))), 0.05)


def fuzz_content_type(rng):
    base = rng.choice(["text/markdown", "text/x-rst", "text/plain", "TEXT/Markdown", "text/markdown2", "text", "text/html", ""])
    params = rng.choice(["", "; charset=UTF-8", "; charset=utf-8", "; charset=\"UTF-8\"", "; charset=latin-1",
                         "; variant=GFM", "; variant=CommonMark", "; variant=gfm", "; charset=UTF-8; variant=GFM", ";",
                         "; charset", "; Charset=UTF-8", " ; variant = GFM"])
    return base + params


FUZZERS = [("Author-email", fuzz_email), ("Maintainer-email", fuzz_email), ("Home-page", fuzz_url),
           ("Download-URL", fuzz_url), ("Requires-Python", fuzz_specifier), ("Requires-Dist", fuzz_requirement),
           ("Provides-Dist", fuzz_requirement), ("Obsoletes-Dist", fuzz_requirement),
           ("License-Expression", fuzz_license), ("Description-Content-Type", fuzz_content_type)]


def m_fuzz(c):
    field, fn = c.rng.choice(FUZZERS)
    if field == "Project-URL":
        c.add(field, f"Home, {fn(c.rng)}")
    elif field in ("Requires-Dist", "Provides-Dist", "Obsoletes-Dist"):
        c.add(field, fn(c.rng))
    else:
        c.set(field, fn(c.rng))
    if c.rng.random() < 0.3:
        c.add("Project-URL", f"{c.rng.choice(['Home', 'Docs', 'x' * 33, ''])}, {fuzz_url(c.rng)}")
    return f"fuzz {field}"


def m_folding(c):
    # A header value continued on the next line (RFC 822 folding), or a body and a Description header.
    field = c.rng.choice(["Summary", "Description", "Author", "Keywords", "License", "Requires-Dist", "Home-page"])
    value = c.rng.choice(["first\n        second", "a,\n b", "pkg\n ; os_name == 'nt'", "https://example.org/\n x"])
    c.set(field, value)
    if c.rng.random() < 0.3:
        c.body = "Body text\n"
    return f"folded {field}"


MUTATIONS = [(m_field_string, 14), (m_field_list, 12), (m_project_url, 4), (m_name, 4), (m_version, 5),
             (m_metadata_version, 3), (m_repeat, 3), (m_unknown_field, 2), (m_description, 4), (m_encoding, 4),
             (m_filename, 8), (m_wheel_members, 7), (m_sdist_members, 7), (m_zip_framing, 3), (m_fuzz, 24), (m_folding, 3)]


# ------------------------------------------------------------------------------- writers
def metadata_bytes(c):
    lines = [f"{k}: {v}" for k, v in c.headers]
    text = "\n".join(lines) + "\n"
    if c.body is not None:
        text += "\n" + c.body
    if c.crlf:
        text = text.replace("\n", "\r\n")
    data = text.encode(c.encoding, "replace")
    return (b"\xef\xbb\xbf" if c.bom else b"") + data


def dist_filename(c):
    if c.kind == "wheel":
        parts = [c.name, c.version] + ([c.build] if c.build is not None else []) + [c.py, c.abi, c.plat]
        return "-".join(parts) + (c.extension or ".whl")
    return f"{c.name}-{c.version}" + (c.extension or ".tar.gz")


def _record(entries):
    rows = []
    for name, data in entries.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        rows.append(f"{name},sha256={digest},{len(data)}")
    return ("\n".join(rows) + "\n").encode()


def wheel_bytes(c, filename):
    name, version = filename.split("-")[:2] if filename.count("-") >= 2 else ("sample_project", "1.0")
    di = f"{name}-{version}.dist-info"
    if c.framing == "dist-info-case":
        di = di.upper()
    members = {"sample/__init__.py": b"def main():\n    pass\n",
               f"{di}/WHEEL": b"Wheel-Version: 1.0\nGenerator: generate.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
               f"{di}/METADATA": metadata_bytes(c)}
    for k, v in c.extra_members.items():
        members[k.replace("@dist-info", di)] = v
    if c.framing == "no-wheel":
        del members[f"{di}/WHEEL"]
    if c.framing == "no-metadata":
        del members[f"{di}/METADATA"]
    record = _record(members) + f"{di}/RECORD,,\n".encode()
    if c.framing == "record-latin1":
        record += "sample/é.py,,\n".encode("latin-1")
    if c.framing != "no-record":
        members[f"{di}/RECORD"] = record
    return zip_bytes(c, members)


def zip_bytes(c, members):
    buf = io.BytesIO()
    method = zipfile.ZIP_BZIP2 if c.framing == "bzip2" else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = method
            zf.writestr(info, data)
        if c.framing == "zip-dup":
            info = zipfile.ZipInfo(next(iter(members)), date_time=(2024, 1, 1, 0, 0, 0))
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                zf.writestr(info, b"dup")
        if c.framing == "zip-comment":
            zf.comment = b"a comment"
    data = buf.getvalue()
    if c.framing == "zip-trailing":
        data += b"trailing bytes"
    if c.framing == "zip-prefix":
        data = b"#!/bin/sh\n" + data
    if c.framing == "zip-descriptor":
        data = _with_descriptor(data)
    return data


def _with_descriptor(data):
    # Set the "data descriptor" flag on the first local header only: the two headers then disagree.
    i = data.find(b"PK\x03\x04")
    flags = int.from_bytes(data[i + 6:i + 8], "little") | 0x08
    return data[:i + 6] + flags.to_bytes(2, "little") + data[i + 8:]


def sdist_members(c, top):
    members = {f"{top}/PKG-INFO": metadata_bytes(c), f"{top}/setup.py": b"from setuptools import setup\nsetup()\n",
               f"{top}/sample/__init__.py": b""}
    for k, v in c.extra_members.items():
        members[f"{top}/{k}"] = v
    if c.framing == "no-pkg-info":
        del members[f"{top}/PKG-INFO"]
    if c.framing == "no-top":
        members = {k.split("/", 1)[1]: v for k, v in members.items()}
    if c.framing == "two-top":
        members["other/file.txt"] = b"x"
    return members


def tar_gz_bytes(c, top):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for name, data in sdist_members(c, top).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1700000000
            tf.addfile(info, io.BytesIO(data))
        for special in c.tar_specials:
            tf.addfile(_special_member(special, top))
    raw = buf.getvalue()
    gz = gzip_bytes(raw)
    if c.framing == "garbage":
        gz += b"this is not gzip"
    elif c.framing == "garbage-gzip":
        gz += b"\x00" * 100
    elif c.framing == "truncated":
        gz = gz[: len(gz) // 2]
    return gz


def gzip_bytes(raw):
    co = zlib.compressobj(6, zlib.DEFLATED, 31)
    return co.compress(raw) + co.flush()


def _special_member(kind, top):
    info = tarfile.TarInfo(f"{top}/special-{kind}")
    info.mtime = 1700000000
    if kind == "device":
        info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, 1, 3
    elif kind == "fifo":
        info.type = tarfile.FIFOTYPE
    elif kind == "dotdot":
        info.name = f"{top}/../escape.txt"
    elif kind == "abs-link":
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
    elif kind == "link-out":
        info.type, info.linkname = tarfile.SYMTYPE, "../../outside"
    elif kind == "hardlink-out":
        info.type, info.linkname = tarfile.LNKTYPE, "/etc/hostname"
    elif kind == "sparse":
        info.type = tarfile.GNUTYPE_SPARSE
    return info


def sdist_bytes(c, filename):
    stem = filename[: -len(c.extension or ".tar.gz")]
    if (c.extension or ".tar.gz").lower() in (".zip",):
        return zip_bytes(c, sdist_members(c, stem))
    return tar_gz_bytes(c, stem)


def build(rng, index):
    c = Case(rng, index)
    names, weights = zip(*MUTATIONS)
    for fn in rng.choices(names, weights=weights, k=rng.choice([1, 1, 1, 2, 2, 3])):
        c.mutations.append(fn(c))
    filename = dist_filename(c)
    if c.kind == "wheel" or (c.extension or "").lower() == ".whl":
        data = wheel_bytes(c, filename)
    else:
        data = sdist_bytes(c, filename)
    mv = next((v for k, v in c.headers if k == "Metadata-Version"), None)
    fields = sorted({k for k, _ in c.headers})
    return filename, data, c.mutations, mv, fields


def _write(out, i, built):
    """Writes one generated case under OUT; its entry for cases.json, or None for a name the file
    system refuses (over 255 bytes): not a file anyone can upload."""
    filename, data, mutations, mv, fields = built
    d = os.path.join(out, f"{i:04d}")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, filename)
    try:
        with open(path, "wb") as f:
            f.write(data)
    except OSError:
        return None
    return {"path": path, "filename": filename, "mutations": mutations, "metadata_version": mv, "fields": fields}


def _uncovered(cases, cover):
    """What of `cover` (mutation labels, header fields, Metadata-Versions) no case has yet."""
    have = {"mutations": set(), "fields": set(), "versions": set()}
    for case in cases:
        have["mutations"].update(case["mutations"])
        have["fields"].update(case["fields"])
        have["versions"].add(case["metadata_version"])
    return {k: set(cover.get(k, [])) - have[k] for k in have}


def _top_up(rng, out, cases, cover, first, attempts=5000):
    """Random cases after the first COUNT, kept only when they add what `cover` asks for and no case
    has: a rare choice (one of eleven wheel mutations, one in ~100 cases) is then in the corpus of every
    seed, and the first COUNT cases stay those of the seed. Each is written under its own index from
    `first` on."""
    missing = _uncovered(cases, cover)
    for i in range(first, first + attempts):
        if not any(missing.values()):
            return
        case = _write(out, i, build(rng, i))
        if case and (set(case["mutations"]) & missing["mutations"] or set(case["fields"]) & missing["fields"]
                     or case["metadata_version"] in missing["versions"]):
            cases.append(case)
            missing = _uncovered(cases, cover)
        elif case:
            os.remove(case["path"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--count", type=int, default=640)
    ap.add_argument("--out", required=True)
    ap.add_argument("--cover", default="{}",
                    help='JSON {"mutations": [...], "fields": [...], "versions": [...]}: each must be in some case')
    args = ap.parse_args()
    rng = random.Random(args.seed)
    cases = [case for i in range(args.count) if (case := _write(args.out, i, build(rng, i)))]
    _top_up(rng, args.out, cases, json.loads(args.cover), first=args.count)
    with open(os.path.join(args.out, "cases.json"), "w") as f:
        json.dump(cases, f, indent=0)


if __name__ == "__main__":
    main()
