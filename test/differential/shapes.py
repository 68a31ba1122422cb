"""What every shape script of this folder prints: the files it wrote, for the stand-in's judge.

write(out, files, **extra) writes each (case name, file name, bytes) to OUTDIR/<index>/<file name>
and prints {"judged": [[case name, file name], ...], **extra} as JSON; `unjudged` (when given)
lists more files, written after the judged ones, that are not for the judge.
"""

import json
import os
import sys


def write(out, files, unjudged=(), **extra):
    for i, (_, filename, data) in enumerate([*files, *unjudged]):
        d = os.path.join(out, str(i))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, filename), "wb") as f:
            f.write(bytes(data))
    json.dump({"judged": [[name, filename] for name, filename, _ in files], **extra}, sys.stdout)
