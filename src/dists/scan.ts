// PyPI's content scan (warehouse/utils/scanner.py with its YARA rules in scanner_rules/): the .py and
// .pye members of a dist (suffix compared lower-case), each up to 5 MiB, must not hold PyArmor's
// runtime hooks or a SourceDefender-encrypted file. The rules are plain string matches, so they are
// restated here; PyPI answers "Invalid distribution file. <message>" for the first member that matches.

const POLICY = 'See https://pypi.org/policy/acceptable-use-policy/ for more information.';
export const SCAN_MAX_FILE_SIZE = 5 * 1024 * 1024;
const PYARMOR = ['__pyarmor__(__name__, __file__,', '__pyarmor_enter__', '__pyarmor_exit__', '__pyarmor_assert__', '__pyarmor_bcc__'].map((s) =>
  Buffer.from(s),
);
const PYE = ['---BEGIN PYE FILE---', '---END PYE FILE---'].map((s) => Buffer.from(s));

/** pathlib's suffix of a member name, lower-cased ("" for ".py" alone or no dot). */
function suffix(name: string): string {
  const base = name.replace(/\/+$/, '').split('/').pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 && dot < base.length - 1 ? base.slice(dot).toLowerCase() : '';
}

/** Does PyPI scan a member of this name? */
export function isScanned(name: string): boolean {
  const s = suffix(name);
  return s === '.py' || s === '.pye';
}

/** The rule message a member's content matches, or undefined. */
export function scanMember(data: Buffer): string | undefined {
  if (data.length > SCAN_MAX_FILE_SIZE) return undefined;
  if (PYARMOR.some((m) => data.includes(m))) return `PyArmor-encrypted content is not allowed. ${POLICY}`;
  if (PYE.every((m) => data.includes(m))) return `SourceDefender-encrypted content is not allowed. ${POLICY}`;
  return undefined;
}
