/**
 * A demo release made with GnuPG (the reference OpenPGP implementation) for CLI tests: an image,
 * its IDF description and detached signatures by the demo signing key pinned in profiles/demo.json.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const DEMO_FINGERPRINT = '0099E3EB76222469F6AA643F8A14A0B7A189E99C';
export const DEMO_SECRET_KEY = path.join(REPO, 'test/fixtures/demo-key/demo-signing.secret.asc');
export const DEMO_PUBLIC_KEY = path.join(REPO, 'profiles/keys/demo-signing.asc');

export class Gpg {
  readonly home: string;

  constructor(dir: string) {
    this.home = path.join(dir, 'gnupg');
    mkdirSync(this.home, { recursive: true });
    chmodSync(this.home, 0o700);
  }

  run(args: string[], input?: string): string {
    return execFileSync(
      'gpg',
      ['--batch', '--yes', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', '', ...args],
      {
        env: { ...process.env, GNUPGHOME: this.home },
        input,
        encoding: 'utf8',
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
  }

  importKey(file: string): void {
    this.run(['--import', file]);
  }

  /** A fresh Ed25519 signing key; returns its primary fingerprint. */
  generateKey(uid: string): string {
    this.run(['--quick-generate-key', uid, 'ed25519', 'sign', '2y']);
    return this.fingerprintOf(uid);
  }

  fingerprintOf(uid: string): string {
    const colons = this.run(['--with-colons', '--list-keys', uid]);
    const fpr = colons.split('\n').find((l) => l.startsWith('fpr:'));
    if (!fpr) throw new Error(`no key for ${uid}`);
    return fpr.split(':')[9]!;
  }

  exportPublic(uid: string, out: string): void {
    this.run(['--armor', '--output', out, '--export', uid]);
  }

  /** Detached signature of `file` into `out` by `signer` (uid or fingerprint). */
  sign(file: string, out: string, signer: string, { armor = false, digest = 'SHA512' } = {}): void {
    this.run([
      ...(armor ? ['--armor'] : []),
      '--digest-algo',
      digest,
      '--local-user',
      signer,
      '--output',
      out,
      '--detach-sign',
      file,
    ]);
  }
}

export interface DemoRelease {
  dir: string;
  version: string;
  imageName: string;
  image: string;
  imageBytes: Uint8Array;
  description: string;
  descriptionSignature: string;
  imageSignature: string;
  sha256: string;
}

/** Write a signed demo release (image, latest.json + .sig, image .sig) into `dir`. */
export function makeDemoRelease(
  gpg: Gpg,
  dir: string,
  version: string,
  imageBytes: Uint8Array,
  type: 'img' | 'iso' = 'img',
): DemoRelease {
  mkdirSync(dir, { recursive: true });
  const imageName = `tails-amd64-${version}.${type}`;
  const image = path.join(dir, imageName);
  writeFileSync(image, imageBytes);
  const sha256 = execFileSync('sha256sum', [image], { encoding: 'utf8' }).split(' ')[0]!;
  const description = path.join(dir, 'latest.json');
  const idf = {
    build_target: 'amd64',
    channel: 'stable',
    installations: [
      {
        'installation-paths': [
          {
            'target-files': [
              {
                sha256,
                size: imageBytes.length,
                url: `http://127.0.0.1:8470/tails/stable/tails-amd64-${version}/${imageName}`,
              },
            ],
            type,
          },
        ],
        version,
      },
    ],
    'product-name': 'Tails',
  };
  writeFileSync(description, `${JSON.stringify(idf, null, 4)}\n`);
  const descriptionSignature = `${description}.sig`;
  const imageSignature = `${image}.sig`;
  gpg.sign(description, descriptionSignature, DEMO_FINGERPRINT);
  gpg.sign(image, imageSignature, DEMO_FINGERPRINT);
  return { dir, version, imageName, image, imageBytes, description, descriptionSignature, imageSignature, sha256 };
}

export function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(length, i + 65536)));
  return bytes;
}
