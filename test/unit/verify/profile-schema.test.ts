import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IsoVerifyError } from '../../../src/core/errors.js';
import { parseProfile } from '../../../src/core/profile-schema.js';
import { loadPinnedKeyring } from '../../../src/core/openpgp/keyring.js';
import { BUILTIN_PROFILES, getProfile } from '../../../src/core/profiles/builtin.js';

const ROOT = new URL('../../../', import.meta.url);
const tailsJson = JSON.parse(readFileSync(new URL('profiles/tails.json', ROOT), 'utf8')) as Record<string, unknown>;
const demoJson = JSON.parse(readFileSync(new URL('profiles/demo.json', ROOT), 'utf8')) as Record<string, unknown>;
const resolveFile = (rel: string) => readFileSync(new URL(`profiles/${rel}`, ROOT), 'utf8');
const PEM =
  '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n';

function invalid(change: (p: Record<string, any>) => void, detail: RegExp, base = tailsJson): void {
  const p = structuredClone(base);
  change(p);
  let caught: unknown;
  try {
    parseProfile(p, resolveFile);
  } catch (e) {
    caught = e;
  }
  expect(caught, JSON.stringify(p).slice(0, 200)).toBeInstanceOf(IsoVerifyError);
  expect((caught as IsoVerifyError).code).toBe('profile-invalid');
  expect((caught as IsoVerifyError).detail).toMatch(detail);
}

describe('parseProfile', () => {
  it('accepts the shipped profiles and resolves their key files', () => {
    const tails = parseProfile(tailsJson, resolveFile);
    expect(tails.id).toBe('tails');
    expect(tails.pinnedFingerprints).toEqual(['A490D0F4D311A4153E2BB7CADBB802B258ACD84F']);
    expect(tails.signingKey).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----');
    expect(tails.descriptionSignatureUrl).toBeUndefined();
    expect(tails.imageSignatureUrl).toBe('https://tails.net/torrents/files/{file}.sig');
    const demo = parseProfile(demoJson, resolveFile);
    expect(demo.descriptionSignatureUrl).toBe('http://127.0.0.1:8470/install/v2/Tails/amd64/stable/latest.json.sig');
    expect(demo.reproThreshold).toBe(2);
    expect('signingKeyFile' in demo).toBe(false);
  });

  it('accepts an inline key, lowercase fingerprints (uppercased) and rebuilders', () => {
    const p = structuredClone(tailsJson);
    delete p.signingKeyFile;
    p.signingKey = resolveFile('keys/tails-signing.asc');
    p.pinnedFingerprints = ['a490d0f4d311a4153e2bb7cadbb802b258acd84f'];
    p.rebuilders = [
      {
        name: 'r1',
        baseUrl: 'https://rebuilder.example.org',
        publicKeyPem: PEM,
        distribution: 'tails',
        architecture: 'amd64',
      },
    ];
    const profile = parseProfile(p);
    expect(profile.pinnedFingerprints).toEqual(['A490D0F4D311A4153E2BB7CADBB802B258ACD84F']);
    expect(profile.rebuilders[0]?.name).toBe('r1');
  });

  it('accepts fingerprints with spaces as GnuPG prints them; rebuilders and reproThreshold are optional', () => {
    const p = structuredClone(tailsJson);
    p.pinnedFingerprints = ['A490 D0F4 D311 A415 3E2B  B7CA DBB8 02B2 58AC D84F'];
    delete p.rebuilders;
    delete p.reproThreshold;
    const profile = parseProfile(p, resolveFile);
    expect(profile.pinnedFingerprints).toEqual(['A490D0F4D311A4153E2BB7CADBB802B258ACD84F']);
    expect(profile.rebuilders).toEqual([]);
    expect(profile.reproThreshold).toBe(1);
  });

  it('a pinned subkey fingerprint is detected and explained', async () => {
    const subkey = 'CD4D4351AFA6933F574A9AFB90B2B4BD7AED235F';
    let caught: unknown;
    try {
      await loadPinnedKeyring([resolveFile('keys/tails-signing.asc')], [subkey]);
    } catch (e) {
      caught = e;
    }
    expect((caught as IsoVerifyError).code).toBe('key-no-pinned');
    expect((caught as IsoVerifyError).detail).toBe(
      `a pinned fingerprint names a subkey, not a primary key: ${subkey} is a subkey of A490D0F4D311A4153E2BB7CADBB802B258ACD84F; pin the primary key's fingerprint`,
    );
  });

  it('builtin profiles are the validated shipped ones', () => {
    expect(getProfile().id).toBe('tails');
    expect(getProfile('demo')).toBe(BUILTIN_PROFILES.demo);
    expect(BUILTIN_PROFILES.tails.signingKey).toBe(resolveFile('keys/tails-signing.asc'));
    expect(() => getProfile('evil')).toThrow(IsoVerifyError);
    expect(() => getProfile('toString')).toThrow(IsoVerifyError);
  });

  it('rejects non-objects and unknown (misspelled) fields', () => {
    for (const bad of [null, [], 'tails', 42]) expect(() => parseProfile(bad)).toThrow(IsoVerifyError);
    invalid((p) => (p.descriptionSignatureURL = 'https://tails.net/x.sig'), /^descriptionSignatureURL: unknown field/);
  });

  it('validates ids, tokens and required fields with their path', () => {
    invalid((p) => (p.id = 'Tails'), /^id: expected lowercase/);
    invalid((p) => (p.id = ''), /^id:/);
    invalid((p) => delete p.product, /^product: missing/);
    invalid((p) => (p.channel = 'stable/../x'), /^channel:/);
    invalid((p) => (p.reproThreshold = 0), /^reproThreshold:/);
    invalid((p) => (p.reproThreshold = 1.5), /^reproThreshold:/);
    invalid((p) => (p.maxDescriptionAgeDays = -1), /^maxDescriptionAgeDays:/);
    invalid((p) => (p.maxDescriptionAgeDays = '7'), /^maxDescriptionAgeDays:/);
  });

  it('allows only https or loopback http, on the official site, without credentials', () => {
    invalid((p) => (p.officialSite = 'http://tails.net'), /^officialSite: must be an https/);
    invalid((p) => (p.descriptionUrl = 'http://tails.net/latest.json'), /^descriptionUrl: must be an https/);
    invalid(
      (p) => (p.descriptionUrl = 'https://evil.example/latest.json'),
      /^descriptionUrl: must be on the official site/,
    );
    invalid((p) => (p.keyUrl = 'https://user@tails.net/key'), /^keyUrl:/);
    invalid((p) => (p.mirrorPoolUrl = 'http://127.0.0.2/mirrors.json'), /^mirrorPoolUrl:/);
    invalid((p) => (p.descriptionUrl = 'ftp://tails.net/latest.json'), /^descriptionUrl:/);
    invalid((p) => (p.imageSignatureUrl = 'https://{file}.tails.net/x.sig'), /^imageSignatureUrl:/);
    invalid((p) => (p.imageSignatureUrl = 'https://tails.net/{evil}.sig'), /^imageSignatureUrl: unknown placeholder/);
    invalid(
      (p) => (p.upgradeDescriptionUrl = 'https://tails.net/{file}/upgrades.yml'),
      /^upgradeDescriptionUrl: unknown placeholder/,
    );
    invalid(
      (p) =>
        (p.rebuilders = [
          {
            name: 'r',
            baseUrl: 'http://rebuilder.example',
            publicKeyPem: PEM,
            distribution: 'tails',
            architecture: 'amd64',
          },
        ]),
      /^rebuilders\[0\]\.baseUrl:/,
    );
    // Loopback http is fine (tests, demo).
    const demo = parseProfile(demoJson, resolveFile);
    expect(demo.officialSite).toBe('http://127.0.0.1:8470');
  });

  it('validates fingerprints and the signing key', () => {
    invalid((p) => (p.pinnedFingerprints = []), /^pinnedFingerprints: expected at least 1/);
    invalid((p) => (p.pinnedFingerprints = ['DBB802B258ACD84F']), /^pinnedFingerprints\[0\]:/);
    invalid(
      (p) => (p.pinnedFingerprints = ['A490 D0F4 D311 A415 3E2B  B7CA DBB8 02B2 58AC D84G']),
      /^pinnedFingerprints\[0\]:/,
    );
    invalid((p) => (p.signingKey = 'not a key'), /^signingKey: give either/);
    invalid((p) => {
      delete p.signingKeyFile;
      p.signingKey = 'not a key';
    }, /^signingKey: expected an ASCII-armored/);
    invalid((p) => delete p.signingKeyFile, /^signingKey: missing/);
    invalid((p) => (p.signingKeyFile = '../../etc/passwd'), /^signingKeyFile: must be a relative path/);
    invalid((p) => (p.signingKeyFile = 'keys/nonexistent.asc'), /^signingKeyFile: cannot read/);
    expect(() => parseProfile(tailsJson)).toThrow(/signingKeyFile: cannot read key files here/);
  });

  it('mirrorTreePath: optional (the demo profile derives its layout), a plain URL path ending in "/"', () => {
    expect(parseProfile(tailsJson, resolveFile).mirrorTreePath).toBe('/tails/');
    expect(parseProfile(demoJson, resolveFile).mirrorTreePath).toBeUndefined();
    expect(
      parseProfile({ ...structuredClone(tailsJson), mirrorTreePath: '/pub/amber/' }, resolveFile).mirrorTreePath,
    ).toBe('/pub/amber/');
    for (const bad of ['tails/', '/tails', '/', '/../x/', '//x/', '/a b/', 42]) {
      invalid((p) => (p.mirrorTreePath = bad), /mirrorTreePath/);
    }
  });

  it('validates imagePattern: compiles, anchored, named groups version and type', () => {
    invalid((p) => (p.imagePattern = '^tails-(?<version>[0-9.]+)\\.(img|iso)$'), /needs a named group \(\?<type>/);
    invalid((p) => (p.imagePattern = '^tails-(?<type>img)$'), /needs a named group \(\?<version>/);
    invalid((p) => (p.imagePattern = '^tails-(?<version>[0-9.]+$'), /imagePattern: does not compile/);
    invalid((p) => (p.imagePattern = 'tails-(?<version>[0-9.]+)\\.(?<type>img|iso)'), /anchored/);
  });

  it('validates rebuilder entries', () => {
    const base = {
      name: 'r',
      baseUrl: 'https://rebuilder.example',
      publicKeyPem: PEM,
      distribution: 'tails',
      architecture: 'amd64',
    };
    invalid((p) => (p.rebuilders = [{ ...base, publicKeyPem: 'ssh-ed25519 AAAA' }]), /^rebuilders\[0\]\.publicKeyPem:/);
    invalid((p) => (p.rebuilders = [{ ...base, name: '' }]), /^rebuilders\[0\]\.name:/);
    invalid((p) => (p.rebuilders = [{ ...base, extra: 1 }]), /^rebuilders\[0\]\.extra: unknown field/);
    invalid((p) => (p.rebuilders = [{ ...base, distribution: undefined }]), /^rebuilders\[0\]\.distribution/);
    invalid((p) => (p.rebuilders = {}), /^rebuilders: expected an array/);
  });

  it('accepts static reproducers beside rebuilderd instances, with their own fields only', () => {
    const reproducer = {
      kind: 'static',
      name: 'someone',
      baseUrl: 'https://someone.example/attestations',
      publicKeyPem: PEM,
    };
    const rebuilderd = {
      name: 'r',
      baseUrl: 'https://rebuilder.example',
      publicKeyPem: PEM,
      distribution: 'tails',
      architecture: 'amd64',
    };
    const profile = parseProfile({ ...tailsJson, rebuilders: [rebuilderd, reproducer] }, resolveFile);
    expect(profile.rebuilders).toEqual([rebuilderd, reproducer]);
    expect(
      parseProfile({ ...tailsJson, rebuilders: [{ ...rebuilderd, kind: 'rebuilderd' }] }, resolveFile).rebuilders[0]!
        .kind,
    ).toBe('rebuilderd');
    invalid(
      (p) => (p.rebuilders = [{ ...reproducer, distribution: 'tails' }]),
      /^rebuilders\[0\]\.distribution: unknown field/,
    );
    invalid(
      (p) => (p.rebuilders = [{ ...reproducer, kind: 'ftp' }]),
      /^rebuilders\[0\]\.kind: must be "rebuilderd" or "static"/,
    );
    invalid(
      (p) => (p.rebuilders = [{ ...reproducer, baseUrl: 'http://someone.example/' }]),
      /^rebuilders\[0\]\.baseUrl: must be an https/,
    );
    invalid((p) => (p.rebuilders = [{ ...reproducer, publicKeyPem: undefined }]), /^rebuilders\[0\]\.publicKeyPem/);
  });

  it('the demo profile pins a static reproducer beside its three rebuilders', () => {
    const profile = parseProfile(demoJson, resolveFile);
    expect(profile.rebuilders.map((r) => r.kind ?? 'rebuilderd')).toEqual([
      'rebuilderd',
      'rebuilderd',
      'rebuilderd',
      'static',
    ]);
  });
});
