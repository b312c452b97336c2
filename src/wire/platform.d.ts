/**
 * The web-platform globals the wire formats name besides the core's (src/core/platform.d.ts):
 * a File or Blob crosses a message channel by structured clone. tsconfig.wire.json checks
 * src/wire with these alone; the full tsconfig.json sees the DOM's own declarations instead.
 */

interface Blob {
  readonly size: number;
  readonly type: string;
  slice(start?: number, end?: number, contentType?: string): Blob;
}

interface File extends Blob {
  readonly name: string;
  readonly lastModified: number;
}
declare var File: { prototype: File; new (bits: unknown[], name: string): File };
