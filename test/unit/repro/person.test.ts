/** Reproducers a person adds in the options page: validated on entry, read back fail-closed. */
import { describe, expect, it } from 'vitest';
import { IsoVerifyError } from '../../../src/core/errors.js';
import { checkThreshold, newPersonReproducer, readPersonReproSettings } from '../../../src/core/repro/person.js';

const PEM =
  '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAXiNOcl4kXkCecTSEQ0DuMtSX8vSmQ7+diElwAZPxttw=\n-----END PUBLIC KEY-----\n';
const strict = { allowLoopbackHttp: false };

async function code(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof IsoVerifyError ? error.code : String(error);
}

describe('newPersonReproducer', () => {
  it('accepts a name, an https base URL (trailing slash dropped) and an Ed25519 PEM', async () => {
    expect(
      await newPersonReproducer(
        { name: ' Alice ', baseUrl: 'https://alice.example/repro/', publicKeyPem: PEM.trim() },
        strict,
      ),
    ).toEqual({
      name: 'Alice',
      baseUrl: 'https://alice.example/repro',
      publicKeyPem: PEM,
    });
  });

  it('refuses plain http (unless loopback is allowed), credentials, queries, an empty name and a non-key', async () => {
    const ok = { name: 'a', baseUrl: 'https://a.example', publicKeyPem: PEM };
    expect(await code(newPersonReproducer({ ...ok, baseUrl: 'http://a.example' }, strict))).toBe('fetch-insecure-url');
    expect(await code(newPersonReproducer({ ...ok, baseUrl: 'http://127.0.0.1:8484' }, strict))).toBe(
      'fetch-insecure-url',
    );
    expect(
      (await newPersonReproducer({ ...ok, baseUrl: 'http://127.0.0.1:8484' }, { allowLoopbackHttp: true })).baseUrl,
    ).toBe('http://127.0.0.1:8484');
    expect(await code(newPersonReproducer({ ...ok, baseUrl: 'https://u:p@a.example' }, strict))).toBe(
      'fetch-insecure-url',
    );
    expect(await code(newPersonReproducer({ ...ok, baseUrl: 'https://a.example/?x=1' }, strict))).toBe(
      'input-invalid-value',
    );
    expect(await code(newPersonReproducer({ ...ok, name: '  ' }, strict))).toBe('input-invalid-value');
    expect(await code(newPersonReproducer({ ...ok, publicKeyPem: 'ssh-ed25519 AAAA' }, strict))).toBe(
      'rebuilder-key-invalid',
    );
  });
});

describe('readPersonReproSettings', () => {
  it('drops malformed entries and an invalid threshold; keeps the good ones', () => {
    const settings = readPersonReproSettings(
      {
        reproducers: [
          { name: 'good', baseUrl: 'https://good.example', publicKeyPem: PEM },
          { name: 'insecure', baseUrl: 'http://evil.example', publicKeyPem: PEM },
          { name: 7, baseUrl: 'https://x.example', publicKeyPem: PEM },
          null,
        ],
        threshold: 0,
      },
      strict,
    );
    expect(settings).toEqual({ reproducers: [{ name: 'good', baseUrl: 'https://good.example', publicKeyPem: PEM }] });
    expect(readPersonReproSettings({ reproducers: [], threshold: 3 }, strict)).toEqual({
      reproducers: [],
      threshold: 3,
    });
    expect(readPersonReproSettings(undefined, strict)).toEqual({ reproducers: [] });
    expect(readPersonReproSettings('junk', strict)).toEqual({ reproducers: [] });
  });

  it('checkThreshold takes whole numbers 1–1000 only', () => {
    expect(checkThreshold(1)).toBe(1);
    for (const bad of [0, 1.5, 1001, '2', Number.NaN]) expect(() => checkThreshold(bad)).toThrow(IsoVerifyError);
  });
});
