"""The incumbent's pipeline (pypa/gh-action-pypi-publish v1.14's twine-upload.sh), run from .venv
without its container, as a bench peer:

    incumbent.py --repository-url URL --trust-config FILE DIR

1. the Trusted Publishing exchange (oidc-exchange.py: the index's audience, an ID token, mint-token);
2. `twine check DIR/*`;
3. attestations.py: one sigstore-python `SigningContext` (from the world's ClientTrustConfig instead
   of `SigningContext.production()`), one cached signer, `Attestation.sign` for one dist after another,
   each written to `<dist>.publish.attestation`;
4. print-hash.py: SHA-256, MD5 and BLAKE2b-256 of each dist, printed;
5. `twine upload --attestations DIR/*` with the minted token.

Steps 3 and 4 are their own Python processes, as in the incumbent. The ID tokens come from
ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN, as the runner serves them. Exits non-zero if a step fails.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

DIST_SUFFIXES = (".whl", ".tar.gz", ".zip")


def dists_in(directory):
    return sorted(p for p in Path(directory).iterdir() if p.name.endswith(DIST_SUFFIXES))


def id_token(audience):
    url = f"{os.environ['ACTIONS_ID_TOKEN_REQUEST_URL']}&audience={urllib.parse.quote(audience)}"
    req = urllib.request.Request(url, headers={"Authorization": f"bearer {os.environ['ACTIONS_ID_TOKEN_REQUEST_TOKEN']}"})
    with urllib.request.urlopen(req) as res:
        return json.load(res)["value"]


def exchange(repository_url):
    """oidc-exchange.py: audience from the index, then an ID token for it, then mint-token."""
    parts = urllib.parse.urlsplit(repository_url)
    base = f"{parts.scheme}://{parts.netloc}"
    with urllib.request.urlopen(f"{base}/_/oidc/audience") as res:
        audience = json.load(res)["audience"]
    body = json.dumps({"token": id_token(audience)}).encode()
    req = urllib.request.Request(f"{base}/_/oidc/mint-token", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as res:
        return json.load(res)["token"]


def attest(directory, trust_config):
    from pypi_attestations import Attestation, Distribution
    from sigstore.models import ClientTrustConfig
    from sigstore.oidc import IdentityToken
    from sigstore.sign import SigningContext

    identity = IdentityToken(id_token("sigstore"))
    context = SigningContext.from_trust_config(ClientTrustConfig.from_json(Path(trust_config).read_text()))
    with context.signer(identity, cache=True) as signer:
        for dist in dists_in(directory):
            attestation = Attestation.sign(signer, Distribution.from_file(dist))
            Path(f"{dist}.publish.attestation").write_text(attestation.model_dump_json())


def print_hash(directory):
    for dist in dists_in(directory):
        sha256, md5, blake2 = hashlib.sha256(), hashlib.md5(), hashlib.blake2b(digest_size=32)
        with open(dist, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 16), b""):
                sha256.update(chunk)
                md5.update(chunk)
                blake2.update(chunk)
        print(f"{dist.name}\nSHA256: {sha256.hexdigest()}\nMD5: {md5.hexdigest()}\nBLAKE2-256: {blake2.hexdigest()}\n")


def run(args, env=None):
    subprocess.run(args, check=True, env=env)


def pipeline(args):
    token = exchange(args.repository_url)
    bin_dir = Path(sys.executable).parent
    run([str(bin_dir / "twine"), "check", *map(str, dists_in(args.dir))])
    run([sys.executable, __file__, "--step", "attest", "--trust-config", args.trust_config, args.dir])
    run([sys.executable, __file__, "--step", "print-hash", args.dir])
    everything = [str(p) for p in sorted(Path(args.dir).iterdir())]
    env = dict(os.environ, TWINE_USERNAME="__token__", TWINE_PASSWORD=token, TWINE_REPOSITORY_URL=args.repository_url)
    run([str(bin_dir / "twine"), "upload", "--non-interactive", "--disable-progress-bar", "--attestations", *everything], env=env)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--step", choices=["pipeline", "attest", "print-hash"], default="pipeline",
                        help="one step alone (the pipeline runs attest and print-hash as processes of their own)")
    parser.add_argument("--repository-url")
    parser.add_argument("--trust-config")
    parser.add_argument("dir")
    args = parser.parse_args()
    if args.step == "attest":
        attest(args.dir, args.trust_config)
    elif args.step == "print-hash":
        print_hash(args.dir)
    else:
        pipeline(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
