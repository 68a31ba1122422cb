"""POST /legacy/ file_upload, following warehouse's forklift (validation order and messages)."""

import email.message
import email.utils
import functools
import hashlib
import hmac
import json
import os
import re
import shutil
import tarfile
import time
import typing
import zipfile

import email_validator
import packaging.utils
import packaging.version
import readme_renderer.markdown
import readme_renderer.rst
import readme_renderer.txt
from packaging.metadata import (_LIST_FIELDS, _RAW_TO_EMAIL_MAPPING, _STRING_FIELDS, InvalidMetadata,
                                Metadata, _parse_keywords, _parse_project_urls)
from packaging.requirements import InvalidRequirement, Requirement
from rfc3986 import exceptions as uri_exceptions, uri_reference, validators as uri_validators
from trove_classifiers import all_classifiers, deprecated_classifiers, sorted_classifiers

from . import archives

ONE_MIB = 1 << 20
ONE_GIB = 1 << 30
MAX_FILESIZE = 100 * ONE_MIB
MAX_PROJECT_SIZE = 10 * ONE_GIB
HARD_CAP = ONE_GIB + ONE_MIB  # beyond the largest allowed per-project limit we stop spooling

# Classifiers this PyPI accepts beyond the trove-classifiers release installed here: PyPI deploys each
# new release of trove-classifiers as it comes out, so it can accept classifiers a client's copy lacks.
# The world's control POST /_world/classifiers adds them; /_world/reset forgets them.
newer_classifiers = set()


def listed_classifiers():
    """What warehouse's /pypi?:action=list_classifiers answers: every accepted, non-deprecated classifier."""
    return list(sorted_classifiers) + sorted(newer_classifiers - set(sorted_classifiers))
HELP = "https://pypi.org/help/"
CORE_METADATA = "https://packaging.python.org/specifications/core-metadata"
PROJECT_NAME_RE = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])\Z", re.IGNORECASE | re.ASCII)
SUPPORTED_METADATA_VERSIONS = {"1.0", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "2.5"}
DYNAMIC_FIELDS = {f.lower() for f in [
    "Platform", "Supported-Platform", "Summary", "Description", "Description-Content-Type", "Keywords",
    "Home-Page", "Download-Url", "Author", "Author-Email", "Maintainer", "Maintainer-Email", "License",
    "License-Expression", "License-File", "Classifier", "Requires-Dist", "Requires-Python",
    "Requires-External", "Project-Url", "Provides-Extra", "Provides-Dist", "Obsoletes-Dist", "Requires",
    "Provides", "Obsoletes", "Import-Name", "Import-Namespace"]}
FILETYPE_EXTENSIONS = {"sdist": {".zip", ".tar.gz"}, "bdist_wheel": {".whl"}}
_DIST_FILE_RE = re.compile(r".+?(?P<extension>\.(tar\.gz|zip|whl))$", re.IGNORECASE)
_ERROR_ORDER = ["metadata-version", "name", "version"]
_FORM_OVERRIDE = {"platforms": "platform", "supported_platforms": "supported_platform",
                  "license_files": "license_file", "import_names": "import_name",
                  "import_namespaces": "import_namespace"}
FORM_TO_RAW = {_FORM_OVERRIDE.get(k, k): k for k in _RAW_TO_EMAIL_MAPPING}
ATTESTATION_PREFIX = "Invalid attestations supplied during upload: "
SUPPORTED_PREDICATES = ["https://docs.pypi.org/attestations/publish/v1", "https://slsa.dev/provenance/v1"]


class UploadError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def bad(message):
    return UploadError(400, message)


class Form:
    """An ordered multi-dict of text fields (what warehouse's request.POST holds)."""

    def __init__(self, pairs):
        self.pairs = list(pairs)

    def getall(self, name):
        return [v for k, v in self.pairs if k == name]

    def first(self, name, default=None):
        vals = self.getall(name)
        return vals[0] if vals else default

    def last(self, name, default=None):
        vals = self.getall(name)
        return vals[-1] if vals else default

    def keys(self):
        return list(dict.fromkeys(k for k, _ in self.pairs))

    def __contains__(self, name):
        return any(k == name for k, _ in self.pairs)


# ----------------------------------------------------------------------------------- platform tags
_ALLOWED_PLATFORMS = {"any", "win32", "win_arm64", "win_amd64", "win_ia64", "manylinux1_x86_64", "manylinux1_i686",
                      "manylinux2010_x86_64", "manylinux2010_i686", "manylinux2014_x86_64", "manylinux2014_i686",
                      "manylinux2014_aarch64", "manylinux2014_armv7l", "manylinux2014_ppc64",
                      "manylinux2014_ppc64le", "manylinux2014_s390x", "linux_armv6l", "linux_armv7l"}
_MACOS_RE = re.compile(r"macosx_(?P<major>\d+)_(?P<minor>\d+)_(?P<arch>.*)")
_MACOS_ARCHES = {"ppc", "ppc64", "i386", "x86_64", "arm64", "intel", "fat", "fat3", "fat64", "universal",
                 "universal2"}
_MACOS_MAJORS = {"11", "12", "13", "14", "15", "26"}
_IOS_RE = re.compile(r"ios_(\d+)_(\d+)_(?P<arch>.*)_(iphoneos|iphonesimulator)")
_ANDROID_RE = re.compile(r"android_(\d+)_(?P<arch>.*)")
_LINUX_RE = re.compile(r"(?P<libc>(many|musl))linux_(\d+)_(\d+)_(?P<arch>.*)")
_JOINT_ARCHES = {"x86_64", "i686", "aarch64", "armv7l", "ppc64le", "s390x", "riscv64"}
_EMSCRIPTEN_RE = re.compile(r"pyemscripten_(?P<major>\d+)_(?P<minor>\d+)_wasm32")


def valid_platform_tag(tag):
    if tag in _ALLOWED_PLATFORMS:
        return True
    m = _MACOS_RE.match(tag)
    if m and m["arch"] in _MACOS_ARCHES and (m["major"] == "10" or (m["major"] in _MACOS_MAJORS and m["minor"] == "0")):
        return True
    m = _LINUX_RE.match(tag)
    if m:
        return m["arch"] in (_JOINT_ARCHES | {"ppc64"} if m["libc"] == "many" else _JOINT_ARCHES)
    m = _IOS_RE.match(tag)
    if m and m["arch"] in {"arm64", "x86_64"}:
        return True
    m = _ANDROID_RE.match(tag)
    if m and m["arch"] in {"armeabi_v7a", "arm64_v8a", "x86", "x86_64"}:
        return True
    return bool(_EMSCRIPTEN_RE.match(tag))


# ----------------------------------------------------------------------------------- form + metadata
def is_valid_uri(uri):
    try:
        ref = uri_reference(uri).normalize()
        v = uri_validators.Validator().allow_schemes("http", "https").require_presence_of("scheme")
        v.check_validity_of("scheme", "host", "port", "path", "query")
        v.validate(ref)
    except (uri_exceptions.ValidationError, Exception):
        return False
    return True


def validate_upload_form(form):
    """warehouse's UploadForm: returns the error message, or None."""
    errors = {}
    name = form.first("name")
    if not name:
        errors["name"] = "This field is required."
    elif not PROJECT_NAME_RE.match(name):
        errors["name"] = "Start and end with a letter or numeral containing only ASCII numeric and '.', '_' and '-'."
    filetype = form.first("filetype")
    if not filetype:
        errors["filetype"] = "This field is required."
    elif filetype not in FILETYPE_EXTENSIONS:
        errors["filetype"] = "Use a known file type."
    for field, label in (("sha256_digest", "SHA256"), ("blake2_256_digest", "BLAKE2")):
        v = form.first(field)
        if v and not re.match(r"^[A-F0-9]{64}$", v, re.IGNORECASE):
            errors[field] = f"Use a valid, hex-encoded, {label} message digest."
    if not errors:
        pyversion = form.first("pyversion")
        if filetype != "sdist" and not pyversion:
            errors["pyversion"] = "Python version is required for binary distribution uploads."
        elif filetype == "sdist" and pyversion and pyversion != "source":
            errors["pyversion"] = "Use 'source' as Python version for an sdist."
        elif not (form.first("md5_digest") or form.first("sha256_digest") or form.first("blake2_256_digest")):
            return "Error: Include at least one message digest."
    if not errors:
        return None
    field = "name" if "name" in errors else sorted(errors)[0]
    if field == "name":
        value = name or ""
        if len(value) > 60:
            value = value[:30] + "..." + value[-30:]
        return (f"{value!r} is an invalid value for Name. Error: {errors[field]} "
                f"See {CORE_METADATA} for more information.")
    return f"Invalid value for {field}. Error: {errors[field]}"


def parse_form_metadata(form):
    raw, unparsed = {}, {}
    for name in form.keys():
        raw_name = FORM_TO_RAW.get(name)
        if raw_name is None:
            continue
        value = form.getall(name)
        if value == [""]:
            continue
        if raw_name in _STRING_FIELDS and len(value) == 1:
            raw[raw_name] = value[0]
        elif raw_name in _LIST_FIELDS:
            raw[raw_name] = value
        elif raw_name == "keywords" and len(value) == 1:
            raw[raw_name] = _parse_keywords(value[0])
        elif raw_name == "project_urls":
            try:
                raw[raw_name] = _parse_project_urls(value)
            except KeyError:
                unparsed[name] = value
        else:
            unparsed[name] = value
    if unparsed:
        raise ExceptionGroup("unparsed", [InvalidMetadata(k, f"{k!r} has invalid data") for k in unparsed])
    return Metadata.from_raw(typing.cast(typing.Any, raw))


def sanitize(pairs):
    """warehouse's forklift `sanitize` decorator on an ordered multi-dict (webob MultiDict semantics:
    `get` answers the *last* value, `del` drops every value, `[]=` replaces them all with one at the
    end): a key whose last value strips to "UNKNOWN" loses every value; a key whose last value holds a
    NUL keeps only that value, NUL escaped."""
    pairs = list(pairs)
    for key in [k for k, _ in pairs]:
        values = [v for k, v in pairs if k == key]
        if not values or not isinstance(values[-1], str):
            continue
        value = values[-1]
        if value.strip() == "UNKNOWN":
            pairs = [(k, v) for k, v in pairs if k != key]
        elif "\x00" in value:
            pairs = [(k, v) for k, v in pairs if k != key] + [(key, value.replace("\x00", "\\x00"))]
    return pairs


def validate_metadata(meta):
    errors = []
    if meta.metadata_version not in SUPPORTED_METADATA_VERSIONS:
        errors.append(InvalidMetadata("metadata-version", f"{meta.metadata_version!r} is not a valid metadata version"))
    if meta.version.local:
        errors.append(InvalidMetadata("version", f"The use of local versions in '{meta.version}' is not allowed."))
    if isinstance(meta.summary, str) and len(meta.summary) > 512:
        errors.append(InvalidMetadata("summary", "'summary' field must be 512 characters or less."))
    for field in ("author_email", "maintainer_email"):
        addr = getattr(meta, field)
        if addr is not None:
            _, address = email.utils.parseaddr(addr)  # strict on 3.13 and later, as PyPI runs it
            if address:
                try:
                    email_validator.validate_email(address, check_deliverability=False)
                except email_validator.EmailNotValidError as exc:
                    errors.append(InvalidMetadata(_RAW_TO_EMAIL_MAPPING[field],
                                                  f"{address!r} is not a valid email address: {exc}"))
    errors.extend(InvalidMetadata("classifier", f"{c!r} is not a valid classifier.")
                  for c in sorted(set(meta.classifiers or []) - set(all_classifiers) - newer_classifiers))
    for c in sorted(set(meta.classifiers or []) & deprecated_classifiers.keys()):
        by = deprecated_classifiers[c]
        errors.append(InvalidMetadata("classifier", f"The classifier {c!r} has been deprecated, use one of {by} instead."
                                      if by else f"The classifier {c!r} has been deprecated."))
    for field in ("home_page", "download_url"):
        url = getattr(meta, field)
        if url is not None and not is_valid_uri(url):
            errors.append(InvalidMetadata(_RAW_TO_EMAIL_MAPPING[field], f"{url!r} is not a valid url."))
    for label, url in (meta.project_urls or {}).items():
        if not label:
            errors.append(InvalidMetadata("project-url", "Must have a label"))
        elif len(label) > 32:
            errors.append(InvalidMetadata("project-url", f"{label!r} must be 32 characters or less."))
        elif not url:
            errors.append(InvalidMetadata("project-url", "Must have a URL"))
        elif not is_valid_uri(url):
            errors.append(InvalidMetadata("project-url", f"{url!r} is not a valid url"))
    for field in ("provides_dist", "obsoletes_dist"):
        for req_str in getattr(meta, field) or []:
            email_name = _RAW_TO_EMAIL_MAPPING[field]
            try:
                req = Requirement(req_str)
            except InvalidRequirement as exc:
                errors.append(InvalidMetadata(email_name, f"{req_str!r} is invalid: {exc}"))
            else:
                if req.url is not None:
                    errors.append(InvalidMetadata(email_name, f"Can't have direct dependency: {req_str!r}"))
    for req in meta.requires_dist or []:
        if req.url is not None:
            errors.append(InvalidMetadata("requires-dist", f"Can't have direct dependency: {req}"))
    for key in meta.dynamic or []:
        if key not in DYNAMIC_FIELDS:
            errors.append(InvalidMetadata("dynamic", f"Dynamic field {key!r} is not a valid dynamic field."))
    if meta.license and meta.license_expression:
        errors.append(InvalidMetadata("license", "License is deprecated when License-Expression is present. "
                                                 "Only License-Expression should be present."))
    if errors:
        raise ExceptionGroup("invalid metadata", errors)


def parse_metadata(form):
    try:
        meta = parse_form_metadata(form)
        validate_metadata(meta)
        return meta
    except* InvalidMetadata as eg:
        errors = {}
        for error in eg.exceptions:
            errors.setdefault(error.field, []).append(error)
        field = next((f for f in _ERROR_ORDER if f in errors), None) or sorted(errors)[0]
        msg = str(errors[field][0])
        see = ("https://packaging.python.org/en/latest/specifications/version-specifiers/#local-version-identifiers"
               if field == "version" and any("use of local versions" in str(e) for e in errors["version"])
               else CORE_METADATA)
        raise bad(" ".join([msg + ("" if msg.endswith(".") else "."), f"See {see} for more information."]))


def render_description(meta):
    if not meta.description:
        return None
    ctype = meta.description_content_type or "text/x-rst"
    msg = email.message.EmailMessage()
    msg["content-type"] = ctype
    normalized = msg.get_content_type()
    renderer = {"text/plain": readme_renderer.txt, "text/x-rst": readme_renderer.rst,
                "text/markdown": readme_renderer.markdown}.get(normalized, readme_renderer.txt)
    try:
        rendered = renderer.render(meta.description)
    except Exception:
        rendered = None
    if rendered is None:
        message = (f"The description failed to render for '{ctype}'." if meta.description_content_type
                   else "The description failed to render in the default format of reStructuredText.")
        raise bad(f"{message} See {HELP}#description-content-type for more information.")
    return rendered


def validate_filename(filename, filetype):
    if any(ord(c) < 32 or ord(c) == 127 for c in filename):
        raise bad("Cannot upload a file with non-printable characters (ordinals 0-31) "
                  "or the DEL character (ordinal 127) in the name.")
    if "/" in filename or "\\" in filename:
        raise bad("Cannot upload a file with '/' or '\\' in the name.")
    m = _DIST_FILE_RE.match(filename)
    if not m:
        raise bad("Invalid file extension: Use .tar.gz, .whl or .zip extension. See "
                  "https://www.python.org/dev/peps/pep-0527 and https://peps.python.org/pep-0715/ for more information")
    if m["extension"] not in FILETYPE_EXTENSIONS[filetype]:
        raise bad(f"Invalid file extension: Extension {m['extension']} is invalid for filetype {filetype}. "
                  "See https://www.python.org/dev/peps/pep-0527 for more information.")


# ----------------------------------------------------------------------------------- the view
class Identity:
    def __init__(self, user=None, token=None, publisher=None):
        self.user, self.token, self.publisher = user, token, publisher


def check_archive(meta, project, filetype, path, filename):
    """warehouse's archive checks (from _is_valid_dist_file to the wheel's METADATA), in its order.
    Returns the wheel's METADATA bytes (None for an sdist); raises UploadError."""
    archive = archives.open_archive(path, filename)
    try:
        ok, msg = archives.is_valid_dist_file(path, filename, archive)
        if not ok:
            raise bad(f"Invalid distribution file. {msg}")
        wheel_metadata = None
        if filetype == "sdist":
            try:
                fname, _ = packaging.utils.parse_sdist_filename(filename)
            except packaging.utils.InvalidSdistFilename:
                raise bad(f"Invalid source distribution filename: {filename}")
            if (meta.version.is_postrelease and fname != packaging.utils.canonicalize_name(meta.name)
                    and filename.count("-") >= 2):
                try:
                    candidate = filename.rpartition("-")[0].rpartition("-")[0]
                    packaging.version.Version(filename[len(candidate) + 1:-len(".tar.gz")])
                    fname = candidate
                except packaging.version.InvalidVersion:
                    pass
            normalized = project["normalized_name"]
            if packaging.utils.canonicalize_name(fname) != normalized:
                raise bad(f"Start filename for {project['name']!r} with {normalized.replace('-', '_')!r}.")
            expected = f"{normalized.replace('-', '_')}-{meta.version}.tar.gz"
            if filename != expected:
                raise bad(f"Filename {filename!r} is invalid, should be {expected!r}.")
            if meta.license_files:
                top = archives._commonpath(archive.getnames())
                for lf in meta.license_files:
                    target = os.path.join(top, lf)
                    try:
                        archive.getmember(target)
                    except KeyError:
                        raise bad(f"License-File {lf} does not exist in distribution file {filename} at {target}")
        if filename.endswith(".whl"):
            try:
                wname, wversion, _, tags = packaging.utils.parse_wheel_filename(filename)
            except packaging.utils.InvalidWheelFilename as e:
                raise bad(str(e))
            for tag in tags:
                if not valid_platform_tag(tag.platform):
                    raise bad(f"Binary wheel '{filename}' has an unsupported platform tag '{tag.platform}'.")
            canonical = packaging.utils.canonicalize_name(meta.name)
            if canonical != wname:
                raise bad(f"Start filename for {project['name']!r} with {canonical.replace('-', '_')!r}.")
            name_from_filename = filename.split("-", 1)[0]
            normalized = project["normalized_name"].replace("-", "_")
            if name_from_filename != normalized:
                raise bad(f"Filename {filename!r} should contain the normalized project name {normalized!r}, "
                          f"not {name_from_filename!r}.")
            if meta.version != wversion:
                raise bad(f"Version in filename should be {str(meta.version)!r} not {str(wversion)!r}.")
            n, v, _ = filename.split("-", 2)
            for lf in meta.license_files or []:
                target = f"{n}-{v}.dist-info/licenses/{lf}"
                try:
                    # read, as warehouse does: what zipfile raises but KeyError is a server error
                    archive.read(target)
                except KeyError:
                    raise bad(f"License-File {lf} does not exist in distribution file {filename} at {target}")
            if archives.wheel_record_matches(archive, n, v) is None:
                raise bad(f"Wheel '{filename}' does not contain the required RECORD file: {n}-{v}.dist-info/RECORD")
            if not archives.wheel_entry_points_valid(archive, n, v):
                raise bad(f"Wheel '{filename}' has invalid entry points defined in the entry_points.txt file")
            try:
                wheel_metadata = archive.read(f"{n}-{v}.dist-info/METADATA")
            except KeyError:
                raise bad(f"Wheel '{filename}' does not contain the required METADATA file: "
                          f"{n}-{v}.dist-info/METADATA")
            if len((filename + ".metadata").encode()) > 255:
                # warehouse writes "<filename>.metadata" next to the file; the OS refuses longer names
                raise bad(f"Filename is too long: '{filename}'")
    finally:
        if archive is not None:
            archive.close()

    return wheel_metadata


def check_form(form):
    """The opening checks of warehouse's file_upload: the protocol version, the form (UploadForm),
    then the metadata, which it returns. Raises UploadError."""
    if form.last("protocol_version", "1") != "1":
        raise bad("Unknown protocol version.")
    err = validate_upload_form(form)
    if err:
        raise bad(err)
    return parse_metadata(form)


def check_content_type(content_type):
    if not content_type or content_type.startswith("image/"):
        raise bad("Invalid distribution file.")


def check_file_size(project, size, limit):
    if size > limit:
        raise bad(f"File too large. Limit for project {project['name']!r} is {limit // ONE_MIB} MB. See "
                  "https://docs.pypi.org/project-management/storage-limits#requesting-a-file-size-limit-increase "
                  "for more information.")


def check_digests(form, hashes):
    """Each digest the form gives matches the one calculated from the file (hashes: algorithm -> hex)."""
    for algo in ("md5", "sha256", "blake2_256"):
        given = form.first(f"{algo}_digest")
        if given and not hmac.compare_digest(given.lower(), hashes[algo]):
            raise bad("The digest supplied does not match a digest calculated from the uploaded file.")


def _file_digests(path):
    hashes = {"md5": hashlib.md5(usedforsecurity=False), "sha256": hashlib.sha256(),
              "blake2_256": hashlib.blake2b(digest_size=32)}
    with open(path, "rb") as fp:
        for chunk in iter(lambda: fp.read(ONE_MIB), b""):
            for h in hashes.values():
                h.update(chunk)
    return {k: h.hexdigest() for k, h in hashes.items()}


def check_offline(pairs, path, filename, content_type="application/octet-stream"):
    """warehouse's verdict on one upload (the form's (name, value) pairs as sent, and the file) for a
    project that does not exist yet and an uploader allowed to create it: every check file_upload
    makes that does not depend on the index's state, in its order. Returns None or the message."""
    form = Form(sanitize(pairs))
    try:
        meta = check_form(form)
        filetype = form.first("filetype")
        project = {"name": meta.name, "normalized_name": packaging.utils.canonicalize_name(form.first("name"))}
        render_description(meta)
        validate_filename(filename, filetype)
        check_content_type(content_type)
        check_file_size(project, os.path.getsize(path), MAX_FILESIZE)
        check_digests(form, _file_digests(path))
        check_archive(meta, project, filetype, path, filename)
    except UploadError as e:
        return e.message
    return None


def file_upload(app, identity, form, content):
    """Runs warehouse's checks in order. content: SpoolSink or None. Returns (status, body)."""
    store = app.store
    meta = check_form(form)
    if content is None:
        raise bad("Upload payload does not have a file.")
    name = form.first("name")
    filetype = form.first("filetype")
    pyversion = form.first("pyversion") or ("source" if filetype == "sdist" else None)

    with store.lock:
        project = store.project(name)
        if project is None:
            if identity.user is None:
                raise bad("Non-user identities cannot create new projects. This was probably caused by successfully "
                          "using a pending publisher but specifying the project name incorrectly (either in the "
                          "publisher or in your project's metadata). Please ensure that both match. "
                          "See: https://docs.pypi.org/trusted-publishers/troubleshooting/")
            # created (with the uploader as owner) only when the upload succeeds, like warehouse's transaction
            project = {"id": None, "name": name, "normalized_name": packaging.utils.canonicalize_name(name),
                       "upload_limit": None}
        # permission
        if identity.user is not None:
            if project["id"] is not None and not store.user_can_upload(identity.user["id"], project["id"]):
                raise UploadError(403, f"The user '{identity.user['username']}' isn't allowed to upload to project "
                                       f"'{project['name']}'. See {HELP}#project-name for more information.")
        else:
            tok = identity.token
            if tok["expires"] < time.time():
                raise UploadError(403, "Invalid API Token: token is expired")
            if project["id"] not in store.publisher_projects(tok["publisher_id"]):
                raise UploadError(403, f"Invalid API Token: OIDC scoped token is not valid for project '{project['name']}'")
        if project["name"] != meta.name:
            project = dict(project, name=meta.name)
    render_description(meta)

    filename = content.filename
    validate_filename(filename, filetype)
    check_content_type(content.content_type)
    # warehouse takes the most generous limit; the stand-in lets tests set a smaller one per project
    check_file_size(project, content.size, project["upload_limit"] or MAX_FILESIZE)
    total = store.q1("SELECT COALESCE(SUM(f.size),0) AS s FROM files f JOIN releases r ON r.id=f.release_id "
                     "WHERE r.project_id=?", project["id"])["s"]
    if total + content.size > MAX_PROJECT_SIZE:
        raise bad(f"Project size too large. Limit for project {project['name']!r} total size is "
                  f"{MAX_PROJECT_SIZE // ONE_GIB} GB. See "
                  "https://docs.pypi.org/project-management/storage-limits#requesting-a-project-size-limit-increase")
    hashes = content.hexdigests(want_md5=bool(form.first("md5_digest")))
    check_digests(form, hashes)

    canonical_version = packaging.utils.canonicalize_version(meta.version)
    # Duplicate check (filename or blake2), then release-level checks.
    with store.lock:
        existing = store.q1("SELECT * FROM files WHERE filename=? OR blake2_256=? LIMIT 1", filename,
                            hashes["blake2_256"])
        if existing is not None:
            if (existing["filename"] == filename and existing["sha256"] == hashes["sha256"]
                    and existing["blake2_256"] == hashes["blake2_256"]):
                return 200, ""
            raise bad(f"File already exists ({filename!r}, with blake2_256 hash {hashes['blake2_256']!r}). "
                      f"See {HELP}#file-name-reuse for more information.")
        release = store.q1("SELECT * FROM releases WHERE project_id=? AND canonical_version=?", project["id"],
                           canonical_version)
        if release is not None and release["created"] < time.time() - 14 * 86400:
            raise bad("Uploading new files to releases older than 14 days is not allowed.")
        if filetype == "sdist" and release is not None and store.q1(
                "SELECT 1 FROM files WHERE release_id=? AND packagetype='sdist'", release["id"]):
            raise bad("Only one sdist may be uploaded per release.")

    wheel_metadata = check_archive(meta, project, filetype, content.path, filename)

    provenance = None
    if "attestations" in form:
        provenance = app.verify_attestations(identity, form.last("attestations"), filename, hashes["sha256"])

    # Store. URLs keep warehouse's layout (ab/cd/<rest>/<filename>), but on disk a file is named by its
    # BLAKE2-256 alone and its METADATA goes in the database: one new inode per upload. Three directory
    # levels and a .metadata file per upload made ext4's inode allocation the stand-in's largest cost
    # (perf, 100 concurrent uploads), a cost every uploader measured against it paid.
    b2 = hashes["blake2_256"]
    rel_path = "/".join([b2[:2], b2[2:4], b2[4:], filename])
    metadata_sha256 = hashlib.sha256(wheel_metadata).hexdigest() if wheel_metadata is not None else None
    with store.lock:
        again = store.q1("SELECT * FROM files WHERE filename=? OR blake2_256=? LIMIT 1", filename, b2)
        if again is not None:  # lost a race with an identical concurrent upload
            if again["filename"] == filename and again["sha256"] == hashes["sha256"]:
                return 200, ""
            raise bad(f"File already exists ({filename!r}, with blake2_256 hash {b2!r}). "
                      f"See {HELP}#file-name-reuse for more information.")
        # Only a file that will get its row is stored (a lost race leaves nothing behind).
        content.move_to(store.blob_path(b2))
        if project["id"] is None:
            created = store.ensure_project(project["name"])
            store.add_role(identity.user["id"], created["id"])
            project = dict(project, id=created["id"])
        store.x("UPDATE projects SET name=? WHERE id=?", project["name"], project["id"])
        release = store.q1("SELECT * FROM releases WHERE project_id=? AND canonical_version=?", project["id"],
                           canonical_version)
        if release is None:
            store.x("INSERT INTO releases(project_id, version, canonical_version, created, requires_python, summary)"
                    " VALUES (?,?,?,?,?,?)", project["id"], str(meta.version), canonical_version, time.time(),
                    str(meta.requires_python) if meta.requires_python else None, meta.summary)
            release = store.q1("SELECT * FROM releases WHERE project_id=? AND canonical_version=?", project["id"],
                               canonical_version)
        store.x("INSERT INTO files(release_id, filename, packagetype, python_version, size, md5, sha256, blake2_256,"
                " path, metadata_sha256, metadata, upload_time, provenance, via_trusted_publishing)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                release["id"], filename, filetype, pyversion, content.size, hashes.get("md5"), hashes["sha256"], b2,
                rel_path, metadata_sha256, wheel_metadata, time.time(), provenance,
                1 if identity.publisher is not None else 0)
    return 200, ""


@functools.cache
def _attestation_list_adapter():
    # Built once: a pydantic TypeAdapter compiles its validator, which cost more than validating.
    from pydantic import TypeAdapter
    from pypi_attestations import Attestation

    return TypeAdapter(list[Attestation])


def verify_attestations(identity, raw, filename, sha256, publisher_identity_factory):
    """Returns the provenance JSON text. Raises UploadError with warehouse's messages."""
    from pydantic import ValidationError
    from pypi_attestations import AttestationBundle, Distribution, Provenance
    from pypi_attestations import VerificationError

    if identity.publisher is None:
        raise bad(ATTESTATION_PREFIX + "Attestations are only supported when using Trusted Publishing")
    try:
        attestations = _attestation_list_adapter().validate_json(raw)
    except ValidationError as e:
        raise bad(ATTESTATION_PREFIX + f"Malformed attestations: {e}")
    if not attestations:
        raise bad(ATTESTATION_PREFIX + "Malformed attestations: an empty attestation set is not permitted")
    if len(attestations) > len(SUPPORTED_PREDICATES):
        raise bad(ATTESTATION_PREFIX + f"A maximum of {len(SUPPORTED_PREDICATES)} attestations per file are supported")
    publisher = publisher_identity_factory(identity.publisher)
    dist = Distribution(name=filename, digest=sha256)
    seen = set()
    for att in attestations:
        try:
            predicate_type, _ = att.verify(publisher, dist)
        except VerificationError as e:
            raise bad(ATTESTATION_PREFIX + f"Could not verify the uploaded artifact using the included attestation: {e}")
        except Exception as e:
            raise bad(ATTESTATION_PREFIX + f"Unknown error while trying to verify included attestations: {e}")
        if predicate_type not in SUPPORTED_PREDICATES:
            raise bad(ATTESTATION_PREFIX + f"Attestation with unsupported predicate type: {predicate_type}")
        if predicate_type in seen:
            raise bad(ATTESTATION_PREFIX + "Multiple attestations for the same file with the same predicate type "
                                           f"({predicate_type}) are not supported")
        seen.add(predicate_type)
    prov = Provenance(attestation_bundles=[AttestationBundle(publisher=publisher, attestations=attestations)])
    return prov.model_dump_json()
