// Reads files of an image without starting a container: `docker save` (a fraction of the time
// of `docker run`), then the layer tars applied in order, whiteouts included. Images are
// immutable, so each one is read once per test file.
import { spawn } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { DOCKER } from '../support';

export interface ImageEntry {
  type: 'file' | 'dir' | 'symlink';
  content: Buffer;
  /** Symlink target. */
  target?: string;
}

export type ImageFilesystem = Map<string, ImageEntry>;

const cache = new Map<string, Promise<ImageFilesystem>>();

export function imageFilesystem(image: string): Promise<ImageFilesystem> {
  let known = cache.get(image);
  if (!known) {
    known = saveImage(image).then(filesystemOf);
    cache.set(image, known);
  }
  return known;
}

/** The content of `path` (symlinks followed), or undefined when there is no such file. */
export async function readImageFile(image: string, path: string): Promise<string | undefined> {
  const fs = await imageFilesystem(image);
  const entry = fs.get(resolveLinks(fs, path));
  return entry?.type === 'file' ? entry.content.toString('utf8') : undefined;
}

export async function imagePathExists(image: string, path: string): Promise<boolean> {
  const fs = await imageFilesystem(image);
  return fs.has(normalize(path)) || fs.has(resolveLinks(fs, path));
}

function saveImage(image: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(DOCKER, ['save', image], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(stdout)) : reject(new Error(`docker save ${image} failed:\n${stderr}`))));
  });
}

function filesystemOf(saved: Buffer): ImageFilesystem {
  const outer = new Map(tarEntries(saved).map((e) => [e.name, e]));
  const manifest = JSON.parse(outer.get('manifest.json')!.content.toString('utf8')) as { Layers: string[] }[];
  const fs: ImageFilesystem = new Map([['/', { type: 'dir', content: Buffer.alloc(0) }]]);
  for (const layer of manifest[0]!.Layers) applyLayer(fs, tarEntries(uncompressed(outer.get(layer)!.content)));
  return fs;
}

/** The containerd image store (current Docker) saves layers as they are stored: gzip-compressed. */
function uncompressed(layer: Buffer): Buffer {
  return layer[0] === 0x1f && layer[1] === 0x8b ? gunzipSync(layer) : layer;
}

function applyLayer(fs: ImageFilesystem, entries: TarEntry[]): void {
  const removeTree = (path: string, keepRoot: boolean) => {
    for (const key of [...fs.keys()]) {
      if ((key === path && !keepRoot) || key.startsWith(path === '/' ? '/' : `${path}/`)) fs.delete(key);
    }
  };
  for (const entry of entries) {
    const path = normalize(entry.name);
    const base = path.slice(path.lastIndexOf('/') + 1);
    const dir = path.slice(0, path.lastIndexOf('/')) || '/';
    if (base === '.wh..wh..opq') removeTree(dir, true);
    else if (base.startsWith('.wh.')) removeTree(`${dir === '/' ? '' : dir}/${base.slice(4)}`, false);
  }
  for (const entry of entries) {
    const path = normalize(entry.name);
    if (path.slice(path.lastIndexOf('/') + 1).startsWith('.wh.')) continue;
    if (entry.type === '5') fs.set(path, { type: 'dir', content: Buffer.alloc(0) });
    else if (entry.type === '2') fs.set(path, { type: 'symlink', content: Buffer.alloc(0), target: entry.linkname });
    else if (entry.type === '1') fs.set(path, fs.get(normalize(entry.linkname)) ?? { type: 'file', content: Buffer.alloc(0) });
    else if (entry.type === '0' || entry.type === '\0' || entry.type === '7') {
      if (fs.get(path)?.type === 'dir') removeTree(path, false);
      fs.set(path, { type: 'file', content: entry.content });
    }
  }
}

function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** `path` with every symlink on the way resolved (at most 40 of them, like Linux). */
function resolveLinks(fs: ImageFilesystem, path: string): string {
  let pending = normalize(path).split('/').filter(Boolean);
  let done = '';
  for (let hops = 0; pending.length > 0; ) {
    const next = `${done}/${pending.shift()!}`;
    const entry = fs.get(next);
    if (entry?.type === 'symlink' && hops++ < 40) {
      const target = entry.target ?? '';
      pending = [...normalize(target.startsWith('/') ? target : `${done}/${target}`).split('/').filter(Boolean), ...pending];
      done = '';
    } else {
      done = next;
    }
  }
  return done || '/';
}

interface TarEntry {
  name: string;
  type: string;
  linkname: string;
  content: Buffer;
}

/** The entries of an uncompressed tar (ustar, with PAX and GNU long names). */
function tarEntries(tar: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let longName: string | undefined;
  let longLink: string | undefined;
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156]!);
    const content = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      const pax = paxRecords(content);
      longName = pax.path ?? longName;
      longLink = pax.linkpath ?? longLink;
      continue;
    }
    if (type === 'L' || type === 'K') {
      const value = content.toString('utf8').replace(/\0.*$/s, '');
      if (type === 'L') longName = value;
      else longLink = value;
      continue;
    }
    if (type === 'g') continue;
    const prefix = field(345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    entries.push({ name, type, linkname: longLink ?? field(157, 100), content });
    longName = undefined;
    longLink = undefined;
  }
  return entries;
}

function paxRecords(content: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let offset = 0;
  while (offset < content.length) {
    const space = content.indexOf(0x20, offset);
    if (space < 0) break;
    const length = Number(content.subarray(offset, space).toString('utf8'));
    if (!length) break;
    const record = content.subarray(space + 1, offset + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    records[record.slice(0, equals)] = record.slice(equals + 1);
    offset += length;
  }
  return records;
}
