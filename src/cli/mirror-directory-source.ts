/**
 * A mirror as an operator's local rsync tree (the directory that holds `stable/…`): the same
 * checks as over HTTP, on disk — existence, size, content. There is no Content-Type and no
 * redirect; the local equivalent of a redirect to another host is a symlink that leads out of
 * the tree, which is reported as such (the public mirror would not serve it, or would serve
 * something else).
 */
import { constants, type Stats } from 'node:fs';
import { access, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { IsoVerifyError } from '../core/errors.js';
import type { MirrorResponse, MirrorSource } from '../core/mirror/types.js';
import { readFileBlocks } from './native-engine.js';

/** The tree's segments must be plain names: nothing in a description may climb out of the tree. */
function safeSegments(mirrorPath: string): string[] | undefined {
  const segments = mirrorPath.split('/');
  const decoded: string[] = [];
  for (const segment of segments) {
    let name: string;
    try {
      name = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) return undefined;
    decoded.push(name);
  }
  return decoded;
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function answer(status: number, location: string, detail: string): MirrorResponse {
  return { status, finalLocation: location, redirectedOffsite: false, detail, close: async () => undefined };
}

function errnoOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

/** A local tree as a MirrorSource. Throws `io-failed` when `directory` is not a readable directory. */
export async function directoryMirrorSource(directory: string): Promise<MirrorSource> {
  const location = path.resolve(directory);
  let root: string;
  try {
    root = await realpath(location);
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    const why =
      errnoOf(error) === 'ENOENT' ? 'no such directory' : error instanceof Error ? error.message : String(error);
    throw new IsoVerifyError('io-failed', `${location}: ${why}`);
  }

  return {
    kind: 'directory',
    location: location.endsWith(path.sep) ? location : `${location}${path.sep}`,
    async list(dir) {
      // Hints only: the names in a directory of the tree (never outside it).
      const trimmed = dir.replace(/\/$/, '');
      const segments = trimmed === '' ? [] : safeSegments(trimmed);
      if (!segments) return undefined;
      try {
        const real = await realpath(path.join(root, ...segments));
        if (real !== root && !isInside(root, real)) return undefined;
        return (await readdir(real)).slice(0, 5000);
      } catch {
        return undefined;
      }
    },
    locate(mirrorPath) {
      const segments = safeSegments(mirrorPath);
      return segments ? path.join(location, ...segments) : `${location}${path.sep}${mirrorPath}`;
    },
    async open(mirrorPath, { method, signal }): Promise<MirrorResponse> {
      if (signal.aborted) throw new IsoVerifyError('aborted', mirrorPath);
      const segments = safeSegments(mirrorPath);
      const where = segments ? path.join(location, ...segments) : mirrorPath;
      if (!segments) return answer(404, where, 'not a plain path inside the tree');

      let real: string;
      try {
        real = await realpath(path.join(root, ...segments));
      } catch (error) {
        const code = errnoOf(error);
        if (code === 'ENOENT' || code === 'ENOTDIR') return answer(404, where, 'no such file (or a dangling symlink)');
        if (code === 'EACCES' || code === 'EPERM') return answer(403, where, 'permission denied');
        throw new IsoVerifyError('io-failed', `${where}: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!isInside(root, real)) {
        return {
          status: 200,
          finalLocation: real,
          redirectedOffsite: true,
          detail: `a symlink leads out of the tree, to ${real}`,
          close: async () => undefined,
        };
      }
      let info: Stats;
      try {
        info = await stat(real);
      } catch (error) {
        throw new IsoVerifyError('io-failed', `${where}: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!info.isFile()) return answer(403, where, 'not a regular file');

      const response: MirrorResponse = {
        status: 200,
        finalLocation: real,
        redirectedOffsite: false,
        contentLength: info.size,
        close: async () => undefined,
      };
      if (method === 'GET') {
        // An unreadable file is the operator's problem to fix, not a dropped transfer.
        try {
          await access(real, constants.R_OK);
        } catch (error) {
          const code = errnoOf(error);
          if (code === 'EACCES' || code === 'EPERM') return answer(403, where, 'permission denied');
          throw new IsoVerifyError('io-failed', `${where}: ${error instanceof Error ? error.message : String(error)}`);
        }
        response.body = readFileBlocks(real);
      }
      return response;
    },
  };
}
