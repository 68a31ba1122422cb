"""The PyPI stand-in. Warehouse's own pins of the libraries that decide verdicts (packaging,
email-validator, idna) come first on the path: see requirements-warehouse.txt. The server and the
differential judge import this package before anything else; a process that imported packaging
earlier (some pytest modules) keeps the copy it has."""

import os
import sys

_PINS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", ".venv", "warehouse-pins")
if os.path.isdir(_PINS) and os.path.abspath(_PINS) not in sys.path:
    sys.path.insert(0, os.path.abspath(_PINS))

# zipfile names members as the Python PyPI runs does (a no-op on 3.12 and later).
from .zipfile_names import install as _install_zipfile_names  # noqa: E402

_install_zipfile_names()
