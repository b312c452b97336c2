import { describe, expect, it } from 'vitest';
import { fileUrlFromPath } from '../../../src/background/chromium/file-url.js';

describe('fileUrlFromPath', () => {
  it('encodes POSIX paths so the URL names exactly that file', () => {
    expect(fileUrlFromPath('/home/u/Downloads/tails-amd64-7.2.img')).toBe(
      'file:///home/u/Downloads/tails-amd64-7.2.img',
    );
    expect(fileUrlFromPath('/tmp/a b/#1?.img')).toBe('file:///tmp/a%20b/%231%3F.img');
    expect(fileUrlFromPath('/tmp/100%.img')).toBe('file:///tmp/100%25.img');
    expect(new URL(fileUrlFromPath('/tmp/ä ö.img')).pathname).toBe('/tmp/%C3%A4%20%C3%B6.img');
  });

  it('handles Windows drive and UNC paths', () => {
    expect(fileUrlFromPath('C:\\Users\\u\\Downloads\\tails (1).img')).toBe(
      'file:///C:/Users/u/Downloads/tails%20(1).img',
    );
    expect(fileUrlFromPath('\\\\server\\share\\x.img')).toBe('file://server/share/x.img');
  });

  it('refuses relative and empty paths', () => {
    expect(() => fileUrlFromPath('')).toThrow();
    expect(() => fileUrlFromPath('Downloads/x.img')).toThrow();
  });
});
