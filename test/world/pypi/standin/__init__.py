"""The PyPI stand-in. Warehouse's own pins of the libraries that decide verdicts (packaging,
email-validator, idna) come first on the path: see requirements-warehouse.txt."""

import os
import sys

_PINS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", ".venv", "warehouse-pins")
if os.path.isdir(_PINS) and os.path.abspath(_PINS) not in sys.path:
    if any(m == "packaging" or m.startswith(("packaging.", "email_validator", "idna")) for m in sys.modules):
        raise ImportError("import standin before packaging, email_validator or idna (warehouse's pins go first)")
    sys.path.insert(0, os.path.abspath(_PINS))
