// Public surface of src/dists: find → inspect (one read per file) → preflight (pure) → uploadFields.
export { findDistFiles, looksLikeDist, DIST_EXTENSIONS, MAX_FILENAME_BYTES } from './find.ts';
export { inspectDist, type InspectResult } from './inspect.ts';
export { preflight, MAX_FILESIZE, SIZE_LIMIT_URL, SUPPORTED_METADATA_VERSIONS, type PreflightOptions } from './preflight.ts';
export { parseCoreMetadata, toRaw, uploadFields, safeName } from './metadata.ts';
export { digestFile, createMultiHasher } from './digest.ts';
export {
  canonicalizeName,
  expectedSdistFilename,
  isValidPlatformTag,
  normalizeVersion,
  parseSdistFilename,
  parseVersion,
  parseWheelFilename,
} from './filename.ts';
export { NOT_CHECKED } from './rules.ts';
export { formatProblem } from './problem.ts';
export type * from './types.ts';
