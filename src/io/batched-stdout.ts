// The runner reads the step's log, and its workflow commands (::add-mask::, ::debug::, ::warning::),
// from stdout, which Node writes synchronously when it is a pipe: one write(2) per line, each waking
// the reader. A release of 100 dists writes ~900 lines (the request log, print-hash), and those
// writes took ~110 ms of the main thread while it was signing (bench b, CPU profile); joined, the
// run was ~90 ms shorter. So the lines written in one turn of the event loop go out as one write, in
// their order, before the next turn's I/O, and whatever is left when the process exits goes then.
// Order is all the runner needs: a mask still comes before any line that could hold its secret.
type Write = (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;

export interface BatchableStream {
  write: Write;
}

/** Batches `stream`'s string writes; returns the function that writes what is pending now. */
export function batchStdout(
  stream: BatchableStream = process.stdout as unknown as BatchableStream,
  onExit: (flush: () => void) => unknown = (f) => process.on('exit', f),
): () => void {
  const direct = stream.write.bind(stream);
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    direct(text);
  };
  stream.write = (chunk, encoding, callback) => {
    // @actions/core writes strings; anything else (bytes, a callback to call) goes out directly,
    // after what is pending, so the order holds.
    if (typeof chunk !== 'string' || typeof encoding === 'function' || typeof callback === 'function') {
      flush();
      return direct(chunk, encoding, callback);
    }
    pending.push(chunk);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
    return true;
  };
  onExit(flush);
  return flush;
}
