/**
 * Decoding a watch stream, pure: the API server sends one JSON event per line
 * (`{"type":"ADDED","object":{...}}`), in chunks that split lines (and UTF-8 characters) anywhere.
 * watch.ts feeds the chunks in; the tests feed them by hand.
 */
import type { KubeObject } from './objects.ts';

/** The type of a watch event. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** A line longer than this is not a watch event (etcd caps an object at 1.5 MiB). */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

/** Splits a byte stream into text lines; `end()` returns a last line without a newline. */
export class LineSplitter {
  #decoder = new TextDecoder('utf-8');
  #parts: string[] = [];
  #partLength = 0;

  push(chunk: Uint8Array): string[] {
    return this.#take(this.#decoder.decode(chunk, { stream: true }));
  }

  end(): string[] {
    const lines = this.#take(this.#decoder.decode());
    const last = this.#parts.join('');
    this.#parts = [];
    this.#partLength = 0;
    return last === '' ? lines : [...lines, last];
  }

  #take(text: string): string[] {
    let nl = text.indexOf('\n');
    if (nl === -1) {
      // No line ends here: keep the piece, without re-joining what came before (a big object
      // arrives in many chunks).
      this.#partLength += text.length;
      if (this.#partLength > MAX_LINE_CHARS)
        throw new Error(`watch: an event line passed ${MAX_LINE_CHARS} characters without a newline`);
      if (text !== '') this.#parts.push(text);
      return [];
    }
    const lines = [this.#parts.join('') + text.slice(0, nl)];
    let from = nl + 1;
    for (nl = text.indexOf('\n', from); nl !== -1; nl = text.indexOf('\n', from)) {
      lines.push(text.slice(from, nl));
      from = nl + 1;
    }
    const rest = text.slice(from);
    this.#parts = rest === '' ? [] : [rest];
    this.#partLength = rest.length;
    return lines;
  }
}

const TYPES: ReadonlySet<string> = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** One decoded event. For ERROR, `object` is a `Status` (code 410 Expired: the resourceVersion is too old). */
export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

/** Parses one line; throws on anything that is not a watch event (the stream cannot be trusted then). */
export function decodeWatchEvent(line: string): WatchEvent {
  let e: unknown;
  try {
    e = JSON.parse(line);
  } catch (err) {
    throw new Error(`watch: an event is not JSON (${(err as Error).message}): ${line.slice(0, 200)}`);
  }
  const { type, object } = (e ?? {}) as { type?: unknown; object?: unknown };
  if (typeof type !== 'string' || !TYPES.has(type))
    throw new Error(
      `watch: unknown event type ${JSON.stringify(type)}; expected one of ${[...TYPES].join(', ')}`,
    );
  if (typeof object !== 'object' || object === null || Array.isArray(object))
    throw new Error(`watch: a ${type} event has no object`);
  return { type: type as WatchEventType, object: object as KubeObject };
}
