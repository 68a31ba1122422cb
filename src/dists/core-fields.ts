// The core-metadata fields as packaging (26.2, warehouse's pin) and warehouse's upload form name them:
// packaging's RawMetadata key, the form field (twine and warehouse agree on it), the header's
// lower-case spelling (which packaging and warehouse use in messages), how the form carries it, and
// the Metadata-Version that introduced it.

export type FieldKind = 'string' | 'list' | 'keywords' | 'urls';

/** packaging's raw names, their form field and core-metadata (email) spelling, and their kind. */
export const FIELDS: Array<[raw: string, form: string, email: string, kind: FieldKind, added: string]> = [
  ['metadata_version', 'metadata_version', 'metadata-version', 'string', '1.0'],
  ['name', 'name', 'name', 'string', '1.0'],
  ['version', 'version', 'version', 'string', '1.0'],
  ['dynamic', 'dynamic', 'dynamic', 'list', '2.2'],
  ['platforms', 'platform', 'platform', 'list', '1.0'],
  ['supported_platforms', 'supported_platform', 'supported-platform', 'list', '1.1'],
  ['summary', 'summary', 'summary', 'string', '1.0'],
  ['description', 'description', 'description', 'string', '1.0'],
  ['description_content_type', 'description_content_type', 'description-content-type', 'string', '2.1'],
  ['keywords', 'keywords', 'keywords', 'keywords', '1.0'],
  ['home_page', 'home_page', 'home-page', 'string', '1.0'],
  ['download_url', 'download_url', 'download-url', 'string', '1.1'],
  ['author', 'author', 'author', 'string', '1.0'],
  ['author_email', 'author_email', 'author-email', 'string', '1.0'],
  ['maintainer', 'maintainer', 'maintainer', 'string', '1.2'],
  ['maintainer_email', 'maintainer_email', 'maintainer-email', 'string', '1.2'],
  ['license', 'license', 'license', 'string', '1.0'],
  ['license_expression', 'license_expression', 'license-expression', 'string', '2.4'],
  ['license_files', 'license_file', 'license-file', 'list', '2.4'],
  ['classifiers', 'classifiers', 'classifier', 'list', '1.1'],
  ['requires_dist', 'requires_dist', 'requires-dist', 'list', '1.2'],
  ['requires_python', 'requires_python', 'requires-python', 'string', '1.2'],
  ['requires_external', 'requires_external', 'requires-external', 'list', '1.2'],
  ['project_urls', 'project_urls', 'project-url', 'urls', '1.2'],
  ['provides_extra', 'provides_extra', 'provides-extra', 'list', '2.1'],
  ['provides_dist', 'provides_dist', 'provides-dist', 'list', '1.2'],
  ['obsoletes_dist', 'obsoletes_dist', 'obsoletes-dist', 'list', '1.2'],
  ['import_names', 'import_name', 'import-name', 'list', '2.5'],
  ['import_namespaces', 'import_namespace', 'import-namespace', 'list', '2.5'],
  ['requires', 'requires', 'requires', 'list', '1.1'],
  ['provides', 'provides', 'provides', 'list', '1.1'],
  ['obsoletes', 'obsoletes', 'obsoletes', 'list', '1.1'],
];
export const BY_FORM = new Map(FIELDS.map((f) => [f[1], f]));
export const BY_RAW = new Map(FIELDS.map((f) => [f[0], f]));
export const EMAIL_NAMES = new Set(FIELDS.map((f) => f[2]));
export const VALID_METADATA_VERSIONS = ['1.0', '1.1', '1.2', '2.1', '2.2', '2.3', '2.4', '2.5'];

/** The metadata as packaging's RawMetadata holds it (project URLs as label → URL). */
export type FormRaw = Map<string, string | string[] | Map<string, string>>;

/** One InvalidMetadata: the field as warehouse groups errors by it, and the message. */
export interface MetadataError {
  field: string;
  message: string;
}
