// The companion action's inputs (build-provenance/action.yml), read once at its edge into a typed
// config. Pure: the edge passes the INPUT_* variables in.
import { getNormalizedInput, type InputEnv } from '../config/inputs.ts';

export interface BuildProvenanceConfig {
  /** Directories or glob patterns of dists, one per line (the pattern language of packages-dir). */
  subjectPath: string[];
}

export function readBuildProvenanceConfig(env: InputEnv): { config?: BuildProvenanceConfig; errors: string[] } {
  const raw = getNormalizedInput(env, 'subject-path');
  const subjectPath = raw
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (subjectPath.length === 0) {
    return { errors: ['subject-path is required: the directories or glob patterns of the dists to attest, one per line (e.g. dist/)'] };
  }
  return { config: { subjectPath }, errors: [] };
}
