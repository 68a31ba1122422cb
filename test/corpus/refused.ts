// Real dists of the corpus (list.txt) that PyPI refuses today, with the pre-flight's code for why:
// old sdists whose reStructuredText description sits folded in a PKG-INFO header, which docutils, as
// PyPI runs it now, fails to render, and a wheel whose file name keeps the project name as written
// (PyPI now requires it normalized). The differential test holds the verdict to the stand-in.
export const REFUSED: Readonly<Record<string, string>> = {
  'docopt-0.6.2.tar.gz': 'description-rst',
  'py-1.11.0.tar.gz': 'description-rst',
  'PyYAML-6.0.2-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl': 'wheel-name-not-normalized',
  'sortedcontainers-2.4.0.tar.gz': 'description-rst',
  'toml-0.10.2.tar.gz': 'description-rst',
};
