// Go's encoding/pem.Decode, line for line (Go 1.26/1.27): the first END line, the last BEGIN line
// before it that starts a line, optional headers, an END line of the same type with nothing but
// spaces after it, and a body that base64.StdEncoding takes once spaces and tabs are gone; a
// candidate that fails any of these is skipped for the next END. `rest` is what follows the block's
// END line. Servers written in Go (Rekor, Fulcio) read keys and certificates this way.
import { goBase64Corruption } from './go-base64.ts';

export interface PemBlock {
  type: string;
  bytes: Buffer;
}

const PEM_START = '\n-----BEGIN ';
const PEM_END = '\n-----END ';
const END_OF_LINE = '-----';

/** getLine: up to the newline (a CR before it dropped), trailing spaces and tabs trimmed; the rest; bytes consumed. */
function getLine(data: string): [string, string, number] {
  let i = data.indexOf('\n');
  let j: number;
  if (i < 0) {
    i = data.length;
    j = i;
  } else {
    j = i + 1;
    if (i > 0 && data[i - 1] === '\r') i--;
  }
  return [data.slice(0, i).replace(/[ \t]+$/, ''), data.slice(j), j];
}

/** pem.Decode: the first block in `data` and what follows it, or undefined and all of `data`. */
export function goPemDecode(data: string): { block?: PemBlock; rest: string } {
  let rest = data;
  let endTrailerIndex = 0;
  for (;;) {
    if (endTrailerIndex < 0 || endTrailerIndex > rest.length) return { rest: data };
    rest = rest.slice(endTrailerIndex);
    let endIndex = rest.indexOf(PEM_END);
    if (endIndex < 0) return { rest: data };
    endTrailerIndex = endIndex + PEM_END.length;
    const beginIndex = rest.slice(0, endIndex).lastIndexOf(PEM_START.slice(1));
    if (beginIndex < 0 || (beginIndex > 0 && rest[beginIndex - 1] !== '\n')) continue;
    const skip = beginIndex + PEM_START.length - 1;
    rest = rest.slice(skip);
    endIndex -= skip;
    endTrailerIndex -= skip;
    let typeLine: string;
    let consumed: number;
    [typeLine, rest, consumed] = getLine(rest);
    endIndex -= consumed;
    endTrailerIndex -= consumed;
    if (!typeLine.endsWith(END_OF_LINE)) continue;
    typeLine = typeLine.slice(0, -END_OF_LINE.length);
    let headers = 0;
    for (;;) {
      if (rest.length === 0) return { rest: data };
      const [line, next, used] = getLine(rest);
      if (!line.includes(':')) break;
      headers++;
      rest = next;
      endIndex -= used;
      endTrailerIndex -= used;
    }
    if (headers > 0 && endIndex < 0) continue;
    let endTrailer = rest.slice(endTrailerIndex);
    const endTrailerLen = typeLine.length + END_OF_LINE.length;
    if (endTrailer.length < endTrailerLen) continue;
    const restOfEndLine = endTrailer.slice(endTrailerLen);
    endTrailer = endTrailer.slice(0, endTrailerLen);
    if (!endTrailer.startsWith(typeLine) || !endTrailer.endsWith(END_OF_LINE)) continue;
    if (getLine(restOfEndLine)[0].length !== 0) continue;
    let bytes = Buffer.alloc(0);
    if (endIndex > 0) {
      const base64 = rest.slice(0, endIndex).replace(/[ \t]/g, '');
      if (goBase64Corruption(base64) >= 0) continue;
      bytes = Buffer.from(base64.replace(/[\r\n]/g, ''), 'base64');
    }
    return { block: { type: typeLine, bytes }, rest: getLine(rest.slice(endIndex + PEM_END.length - 1))[1] };
  }
}
