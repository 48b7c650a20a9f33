/**
 * A child's stdout cut into lines, for the supervisor: every line goes to the caller's `onStdoutLine`
 * and to whoever waits for a ready line, including lines printed before the wait began (a stdout check
 * may follow an HTTP check). Lines are remembered only until the child is ready.
 */

/** Replays remembered lines to each new listener, then feeds it live ones. */
export class LineFeed {
  #partial = '';
  #remembered: string[] | undefined = [];
  readonly #listeners = new Set<(line: string) => void>();
  readonly #onLine: ((line: string) => void) | undefined;

  constructor(onLine?: (line: string) => void) {
    this.#onLine = onLine;
  }

  /** Feeds a chunk of output; complete lines go out without their newline. */
  push(chunk: string): void {
    this.#partial += chunk;
    let nl = this.#partial.indexOf('\n');
    while (nl >= 0) {
      const line = this.#partial.slice(0, nl);
      this.#partial = this.#partial.slice(nl + 1);
      this.#onLine?.(line);
      if (this.#remembered && this.#remembered.length < 1000) this.#remembered.push(line);
      for (const listener of this.#listeners) listener(line);
      nl = this.#partial.indexOf('\n');
    }
    // A child that never ends a line must not grow our memory without bound.
    if (this.#partial.length > 1 << 20) this.#partial = '';
  }

  /** Calls `listener` with every remembered line, then each new one; returns the unsubscribe. */
  listen(listener: (line: string) => void): () => void {
    for (const line of this.#remembered ?? []) listener(line);
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops remembering lines (the child is ready: nobody will wait for one any more). */
  forget(): void {
    this.#remembered = undefined;
  }
}
