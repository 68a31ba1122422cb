// Distribution filenames as PyPI judges them: pypa/packaging (26.2, warehouse's pin) src/packaging/utils.py
// (parse_wheel_filename, parse_sdist_filename, canonicalize_name) and the wheel platform-tag
// allow-list of pypi/warehouse warehouse/forklift/legacy.py (`_valid_platform_tag`).
// Error messages are packaging's, because PyPI passes them through verbatim.

import { pyRepr } from './pyrepr.ts';
import { PY_DIGIT_CHARS, PY_WORD_CHARS } from './python-classes.ts';
import { InvalidVersion, parseVersion, type Version } from './version.ts';

export { parseVersion, normalizeVersion, versionsEqual, tryParseVersion, InvalidVersion } from './version.ts';
export type { Version } from './version.ts';

export class InvalidFilename extends Error {}

/** PEP 503 normalization: runs of "-", "_", "." become one "-", lower-cased. */
export function canonicalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The file-name extension warehouse reads (case-insensitive), or undefined: `_dist_file_re`. */
export function distExtension(filename: string): string | undefined {
  return /^.+?(\.(?:tar\.gz|zip|whl))$/is.exec(filename)?.[1];
}

// Core metadata spec for `Name` (packaging's _validate_regex, ASCII only).
const VALID_NAME_RE = /^(?:[a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9])$/i;
export function isValidName(name: string): boolean {
  return VALID_NAME_RE.test(name);
}

/** What a file name must start with: the normalized name with "-" → "_" (PEP 427 / PEP 625). */
export function filenameName(name: string): string {
  return canonicalizeName(name).replace(/-/g, '_');
}

export interface WheelTag {
  interpreter: string;
  abi: string;
  platform: string;
}

export interface WheelFilename {
  /** Name part exactly as written (before the first '-'). */
  nameAsWritten: string;
  /** Canonical name. */
  name: string;
  versionAsWritten: string;
  version: Version;
  build?: [bigint, string];
  /** Python tag part as written, e.g. "py2.py3": the upload form's `pyversion`. */
  pythonTag: string;
  abiTag: string;
  platformTag: string;
  tags: WheelTag[];
}

// packaging 26.2's name check: Python's `^[\w\d._]*$` (Unicode word characters; may be empty).
const WHEEL_NAME_RE = new RegExp(`^[${PY_WORD_CHARS}_.]*$`, 'u');
const BUILD_RE = /^([0-9]+)(.*)$/s;

export function parseWheelFilename(filename: string): WheelFilename {
  if (!filename.endsWith('.whl')) {
    throw new InvalidFilename(`Invalid wheel filename (extension must be '.whl'): ${pyRepr(filename)}`);
  }
  const stem = filename.slice(0, -4);
  const dashes = stem.split('-').length - 1;
  if (dashes !== 4 && dashes !== 5) {
    throw new InvalidFilename(`Invalid wheel filename (wrong number of parts): ${pyRepr(stem)}`);
  }
  // Python's split("-", dashes - 2): the last part keeps the "py3-none-any" dashes.
  const all = stem.split('-');
  const parts = [...all.slice(0, dashes - 2), all.slice(dashes - 2).join('-')];
  const namePart = parts[0] as string;
  if (namePart.includes('__') || !WHEEL_NAME_RE.test(namePart)) {
    throw new InvalidFilename(`Invalid project name: ${pyRepr(stem)}`);
  }
  let version: Version;
  try {
    version = parseVersion(parts[1] as string);
  } catch (e) {
    if (!(e instanceof InvalidVersion)) throw e;
    throw new InvalidFilename(`Invalid wheel filename (invalid version): ${pyRepr(stem)}`);
  }
  let build: [bigint, string] | undefined;
  if (dashes === 5) {
    const m = BUILD_RE.exec(parts[2] as string);
    if (!m) throw new InvalidFilename(`Invalid build number: ${parts[2]} in ${pyRepr(stem)}`);
    build = [BigInt(m[1] as string), m[2] as string];
  }
  // packaging 26.2 parse_tag: no check of the parts; Tag() lower-cases each one.
  const tagStr = parts[parts.length - 1] as string;
  const [interpreters, abis, platforms] = tagStr.split('-').map((c) => c.toLowerCase().split('.')) as [string[], string[], string[]];
  const tags: WheelTag[] = [];
  for (const interpreter of interpreters) for (const abi of abis) for (const platform of platforms) tags.push({ interpreter, abi, platform });
  const [pythonTag, abiTag, platformTag] = tagStr.split('-') as [string, string, string];
  const out: WheelFilename = {
    nameAsWritten: namePart,
    name: canonicalizeName(namePart),
    versionAsWritten: parts[1] as string,
    version,
    pythonTag,
    abiTag,
    platformTag,
    tags,
  };
  if (build) out.build = build;
  return out;
}

export interface SdistFilename {
  nameAsWritten: string;
  name: string;
  versionAsWritten: string;
  version: Version;
  extension: '.tar.gz' | '.zip';
}

export function parseSdistFilename(filename: string): SdistFilename {
  let extension: '.tar.gz' | '.zip';
  if (filename.endsWith('.tar.gz')) extension = '.tar.gz';
  else if (filename.endsWith('.zip')) extension = '.zip';
  else {
    throw new InvalidFilename(`Invalid sdist filename (extension must be '.tar.gz' or '.zip'): ${pyRepr(filename)}`);
  }
  const stem = filename.slice(0, -extension.length);
  // A PEP 440 version cannot contain "-", so split on the last one (rpartition).
  const i = stem.lastIndexOf('-');
  if (i < 0) throw new InvalidFilename(`Invalid sdist filename: ${pyRepr(filename)}`);
  const namePart = stem.slice(0, i);
  const versionPart = stem.slice(i + 1);
  let version: Version;
  try {
    version = parseVersion(versionPart);
  } catch (e) {
    if (!(e instanceof InvalidVersion)) throw e;
    throw new InvalidFilename(`Invalid sdist filename (invalid version): ${pyRepr(filename)}`);
  }
  return { nameAsWritten: namePart, name: canonicalizeName(namePart), versionAsWritten: versionPart, version, extension };
}

/** A wheel's or an sdist's file name, by its extension; throws what the parser of that kind throws. */
export function parseDistFilename(filename: string): WheelFilename | SdistFilename {
  return filename.endsWith('.whl') ? parseWheelFilename(filename) : parseSdistFilename(filename);
}

/** PEP 625: the only sdist filename PyPI accepts for a project name and version. */
export function expectedSdistFilename(name: string, version: Version): string {
  return `${filenameName(name)}-${version.normalized}.tar.gz`;
}

// ---- Wheel platform tags: warehouse/forklift/legacy.py `_valid_platform_tag` (HEAD 6b62157). ----
// Python's re.match anchors only at the start, so these regexes have "^" and no "$" where
// warehouse's don't end with a greedy ".*".

const ALLOWED_PLATFORMS = new Set([
  'any',
  'win32',
  'win_arm64',
  'win_amd64',
  'win_ia64',
  'manylinux1_x86_64',
  'manylinux1_i686',
  'manylinux2010_x86_64',
  'manylinux2010_i686',
  'manylinux2014_x86_64',
  'manylinux2014_i686',
  'manylinux2014_aarch64',
  'manylinux2014_armv7l',
  'manylinux2014_ppc64',
  'manylinux2014_ppc64le',
  'manylinux2014_s390x',
  'linux_armv6l',
  'linux_armv7l',
]);
// warehouse's patterns: Python's \d in a str pattern is any decimal digit its Unicode knows.
const pyDigits = (source: string, flags: string): RegExp => new RegExp(source.replaceAll('\\d', `[${PY_DIGIT_CHARS}]`), flags);
const MACOSX_RE = pyDigits('^macosx_(\\d+)_(\\d+)_(.*)$', 'su');
const MACOSX_ARCHES = new Set(['ppc', 'ppc64', 'i386', 'x86_64', 'arm64', 'intel', 'fat', 'fat3', 'fat64', 'universal', 'universal2']);
// macOS 10.x uses macosx_10_{minor}; 11+ uses macosx_{major}_0.
const MACOSX_MAJORS = new Set(['11', '12', '13', '14', '15', '26']);
const IOS_RE = pyDigits('^ios_(\\d+)_(\\d+)_(.*)_(iphoneos|iphonesimulator)', 'su');
const IOS_ARCHES = new Set(['arm64', 'x86_64']);
const ANDROID_RE = pyDigits('^android_(\\d+)_(.*)$', 'su');
const ANDROID_ARCHES = new Set(['armeabi_v7a', 'arm64_v8a', 'x86', 'x86_64']);
const LINUX_RE = pyDigits('^(many|musl)linux_(\\d+)_(\\d+)_(.*)$', 'su');
const JOINT_LINUX_ARCHES = ['x86_64', 'i686', 'aarch64', 'armv7l', 'ppc64le', 's390x', 'riscv64'];
const MANYLINUX_ARCHES = new Set([...JOINT_LINUX_ARCHES, 'ppc64']);
const MUSLLINUX_ARCHES = new Set(JOINT_LINUX_ARCHES);
const PYEMSCRIPTEN_RE = pyDigits('^pyemscripten_(\\d+)_(\\d+)_wasm32', 'u');

export function isValidPlatformTag(tag: string): boolean {
  if (ALLOWED_PLATFORMS.has(tag)) return true;
  let m = MACOSX_RE.exec(tag);
  if (m && m[1] === '10' && MACOSX_ARCHES.has(m[3] as string)) return true;
  if (m && MACOSX_MAJORS.has(m[1] as string) && m[2] === '0' && MACOSX_ARCHES.has(m[3] as string)) return true;
  m = LINUX_RE.exec(tag);
  if (m && m[1] === 'musl') return MUSLLINUX_ARCHES.has(m[4] as string);
  if (m && m[1] === 'many') return MANYLINUX_ARCHES.has(m[4] as string);
  m = IOS_RE.exec(tag);
  if (m && IOS_ARCHES.has(m[3] as string)) return true;
  m = ANDROID_RE.exec(tag);
  if (m && ANDROID_ARCHES.has(m[2] as string)) return true;
  return PYEMSCRIPTEN_RE.test(tag);
}
