// Where an sdist's tar ends, as Python's tarfile (and so PyPI) ends it: after the end blocks, a
// second tar, garbage, a header cut short or a gzip stream cut short are never read, and the file is
// accepted; a first header tarfile cannot read makes it no tar at all, and a header it cannot read
// right after a pax header is an error. Each shape (test/differential/tar_ends.py) is judged by the
// action's pre-flight and by the PyPI stand-in's warehouse checks: verdicts and messages must agree.
import { describeShapes, judgedShapes } from '../../test/helpers/shapes.ts';

/** The shapes PyPI accepts: what follows the tar's end is never read. */
const ACCEPTED = [
  'garbage after the members',
  'a second tar after the first',
  'a member escaping after the end blocks',
  'gzip cut short after the end blocks',
  'no end blocks',
  'a header cut short after the members',
  'an unreadable number in a header after the members',
  'a bad checksum after the members',
  'a decompression bomb after the end blocks',
];

describeShapes("an sdist's tar ends where Python's tarfile ends it", await judgedShapes('tar_ends.py'), ACCEPTED);
