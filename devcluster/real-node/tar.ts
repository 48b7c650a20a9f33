/**
 * A minimal tar writer (POSIX ustar, with a PAX header for names or link targets over 100 bytes):
 * enough for container image layers and docker-archive files, written to a file descriptor as it
 * goes so a 200 MB layer never sits in memory. Entries carry fixed times, so the same inputs give the
 * same bytes (and the same image digest). Called by image-archive.ts; unit-tested in tar.test.ts.
 */

import type { Hash } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

/** One entry's metadata. */
export interface TarEntry {
  name: string;
  type: 'file' | 'dir' | 'symlink';
  mode: number;
  uid?: number;
  gid?: number;
  size?: number;
  linkname?: string;
}

const BLOCK = 512;

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

/** Pure: the 512-byte ustar header of an entry whose name and link fit (callers use pax() otherwise). */
export function ustarHeader(e: TarEntry & { typeflag?: string }): Buffer {
  const h = Buffer.alloc(BLOCK);
  const put = (s: string, off: number, len: number) =>
    h.write(s, off, Math.min(len, Buffer.byteLength(s)), 'utf8');
  put(e.name, 0, 100);
  put(octal(e.mode & 0o7777, 8), 100, 8);
  put(octal(e.uid ?? 0, 8), 108, 8);
  put(octal(e.gid ?? 0, 8), 116, 8);
  put(octal(e.type === 'file' || e.typeflag === 'x' ? (e.size ?? 0) : 0, 12), 124, 12);
  put(octal(0, 12), 136, 12);
  h.fill(0x20, 148, 156);
  const flag = e.typeflag ?? (e.type === 'dir' ? '5' : e.type === 'symlink' ? '2' : '0');
  put(flag, 156, 1);
  if (e.linkname) put(e.linkname, 157, 100);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

/** Pure: a PAX record `LEN key=value\n` (LEN counts itself). */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len)
    len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

const pad = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

/** Writes tar entries to a file; `hash` (optional) sees every byte written. */
export class TarWriter {
  readonly #fd: number;
  readonly #hash: Hash | undefined;
  #bytes = 0;

  constructor(path: string, hash?: Hash) {
    this.#fd = openSync(path, 'w');
    this.#hash = hash;
  }

  #write(b: Buffer): void {
    writeSync(this.#fd, b);
    this.#hash?.update(b);
    this.#bytes += b.length;
  }

  #header(e: TarEntry): void {
    const long = Buffer.byteLength(e.name) > 100 || Buffer.byteLength(e.linkname ?? '') > 100;
    if (long) {
      let records = paxRecord('path', e.name);
      if (e.linkname) records += paxRecord('linkpath', e.linkname);
      const body = Buffer.from(records);
      this.#write(
        ustarHeader({ name: 'PaxHeader', type: 'file', mode: 0o644, size: body.length, typeflag: 'x' }),
      );
      this.#write(body);
      this.#write(pad(body.length));
    }
    const short = long ? { ...e, name: e.name.slice(0, 99), linkname: e.linkname?.slice(0, 99) } : e;
    this.#write(ustarHeader(short));
  }

  /** A directory, a symlink, or a file whose content is `data`. */
  add(e: TarEntry, data?: Buffer): void {
    const size = data?.length ?? 0;
    this.#header({ ...e, size });
    if (data) {
      this.#write(data);
      this.#write(pad(size));
    }
  }

  /** A regular file copied from `source` (streamed in 1 MiB chunks). */
  addFile(e: Omit<TarEntry, 'type' | 'size'>, source: string, size: number): void {
    this.#header({ ...e, type: 'file', size });
    const src = openSync(source, 'r');
    try {
      const buf = Buffer.alloc(1 << 20);
      let done = 0;
      while (done < size) {
        const n = readSync(src, buf, 0, Math.min(buf.length, size - done), done);
        if (n === 0) throw new Error(`tar: ${source} shrank while being archived`);
        this.#write(buf.subarray(0, n));
        done += n;
      }
    } finally {
      closeSync(src);
    }
    this.#write(pad(size));
  }

  /** Ends the archive (two zero blocks) and closes the file; returns its size. */
  close(): number {
    this.#write(Buffer.alloc(BLOCK * 2));
    closeSync(this.#fd);
    return this.#bytes;
  }
}
