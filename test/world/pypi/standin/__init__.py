"""The PyPI stand-in. Warehouse's own pins of the libraries that decide verdicts (packaging,
email-validator, idna) come first on the path: see requirements-warehouse.txt. The server and the
differential judge import this package before anything else; a process that imported packaging
earlier (some pytest modules) keeps the copy it has."""

import os
import sys

# The pins live in the running virtualenv (.venv).
_PINS = os.path.join(sys.prefix, "warehouse-pins")
if os.path.isdir(_PINS) and os.path.abspath(_PINS) not in sys.path:
    sys.path.insert(0, os.path.abspath(_PINS))

# The standard library decides much of a verdict (tarfile, zipfile, email): it must be the one PyPI
# runs (warehouse's Dockerfile: python:3.14), which scripts/setup.sh puts in .venv.
if sys.version_info[:2] != (3, 14):
    raise RuntimeError(f"the PyPI stand-in runs on CPython 3.14, as PyPI does, not {sys.version.split()[0]}: use .venv/bin/python (npm run setup)")
