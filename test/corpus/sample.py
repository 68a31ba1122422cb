"""A random sample of real dists from the package index, for test/corpus/differential.ts (by hand,
never in CI: it needs the index). For each project drawn (a seeded sample of the simple index's
names), the newest release's first wheel of at most 3 MB and its sdist of at most 1 MB.

    .venv/bin/python test/corpus/sample.py --seed 77 --projects 2500 --out /tmp/sample
"""

import argparse
import concurrent.futures
import json
import os
import random
import re
import urllib.request

INDEX = "https://pypi.org"


def get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "pypi-publish-action corpus sample"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.read()


def names() -> list[str]:
    # The HTML form: every mirror serves it, not every one the JSON form.
    page = get(f"{INDEX}/simple/").decode()
    return re.findall(r'<a href="[^"]*">([^<]+)</a>', page)


def fetch_project(name: str, out: str) -> list[str]:
    try:
        release = json.loads(get(f"{INDEX}/pypi/{name}/json"))
    except Exception:
        return []
    files = release.get("urls", [])
    wheels = [f for f in files if f["packagetype"] == "bdist_wheel" and f["size"] <= 3_000_000]
    sdists = [f for f in files if f["packagetype"] == "sdist" and f["size"] <= 1_000_000]
    got = []
    for f in wheels[:1] + sdists[:1]:
        path = os.path.join(out, f["filename"])
        if "/" in f["filename"] or os.path.exists(path):
            continue
        try:
            data = get(f["url"])
        except Exception:
            continue
        with open(path, "wb") as file:
            file.write(data)
        got.append(f["filename"])
    return got


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--projects", type=int, default=600)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    drawn = random.Random(args.seed).sample(names(), args.projects)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda n: fetch_project(n, args.out), drawn))
    print(f"{sum(1 for g in got if g)} of {len(drawn)} projects gave files; {sum(len(g) for g in got)} files in {args.out}")


if __name__ == "__main__":
    main()
