#!/usr/bin/env bash
# CPython 3.14 for .venv, the Python PyPI runs (warehouse's Dockerfile: python:3.14): the stand-in, the
# differential judges and the reference tools then read archives, metadata and mail headers with the
# standard library PyPI reads them with. tarfile, zipfile and email changed between 3.11 (this machine's
# python3) and 3.14, and an older one would judge some files otherwise than PyPI does.
#
# It comes from Debian's unstable suite, the newest 3.14 Debian builds, unpacked into .tools/python3.14
# with the C library and shared libraries it was built against; its interpreter is pointed at that C
# library (patchelf), so the machine's own libraries stay as they are. Prints the interpreter's path.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.tools/python3.14"
python="$dest/usr/bin/python3.14"

is_314() { [ -x "$1" ] && "$1" -c 'import sys, ssl, zlib, lzma, bz2, compression.zstd; sys.exit(sys.version_info[:2] != (3, 14))' 2>/dev/null; }

if is_314 "$python"; then
  echo "$python"
  exit 0
fi
echo "setup: CPython 3.14 from Debian's unstable suite into .tools/python3.14" >&2
if ! command -v patchelf >/dev/null; then
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends patchelf >/dev/null
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main" > "$work/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o APT::Sandbox::User=root)
apt-get "${apt_opts[@]}" update -q >/dev/null
# The interpreter, its standard library and headers (a few packages build C extensions), the pip wheel
# that bootstraps the virtualenv, and every shared library those link to.
packages=(python3.14-minimal libpython3.14-minimal libpython3.14-stdlib libpython3.14-dev python3.14-dev
  python3-pip-whl libc6 libgcc-s1 libssl3t64 libexpat1 zlib1g libbz2-1.0 libffi8 liblzma5 libzstd1 libmpdec4
  libncursesw6 libtinfo6 libreadline8t64 libsqlite3-0 libuuid1)
(cd "$work/debs" && apt-get "${apt_opts[@]}" download -q "${packages[@]}" >/dev/null)
rm -rf "$dest"
mkdir -p "$dest"
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$dest"; done
# DT_RPATH (not RUNPATH): it also serves the libraries of the extension modules the interpreter loads.
patchelf --set-interpreter "$dest/usr/lib64/ld-linux-x86-64.so.2" --force-rpath --set-rpath "$dest/usr/lib/x86_64-linux-gnu" "$python"
if ! is_314 "$python"; then
  echo "setup: the unpacked CPython 3.14 does not start: $("$python" -c 'import sys' 2>&1 | head -3)" >&2
  exit 1
fi
echo "$python"
