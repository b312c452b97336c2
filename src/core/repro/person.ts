/**
 * Reproducers a person adds in the options page, and the k-of-n they require. They are kept
 * apart from the profile's (stored separately, labelled "added by you" in every result) and
 * are static reproducers only: a name, a base URL and an Ed25519 public key.
 *
 * Storage is written by our own options page, but it is read back as untrusted input:
 * anything malformed is dropped, never half-used.
 */
import { IsoVerifyError } from '../errors.js';
import { isAllowedUrl } from '../net/capped-fetch.js';
import { importRebuilderKey } from './keys.js';
import { normaliseBaseUrl } from './rebuilderd.js';

export interface PersonReproducer {
  name: string;
  baseUrl: string;
  publicKeyPem: string;
}

export interface PersonReproSettings {
  reproducers: PersonReproducer[];
  /** How many distinct keys must have reproduced the release; absent: the profile's threshold. */
  threshold?: number;
}

export const MAX_PERSON_REPRODUCERS = 32;
export const MAX_THRESHOLD = 1000;
const MAX_NAME = 128;

export const EMPTY_PERSON_SETTINGS: PersonReproSettings = { reproducers: [] };

function invalid(detail: string): IsoVerifyError {
  return new IsoVerifyError('input-invalid-value', detail);
}

/** A base URL a person may add: https (loopback http only where the profile allows it), no credentials, query or fragment. */
export function checkReproducerUrl(url: string, allowLoopbackHttp: boolean): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(`not a URL: ${url}`);
  }
  if (!isAllowedUrl(parsed, allowLoopbackHttp)) throw new IsoVerifyError('fetch-insecure-url', `must be https: ${url}`);
  if (parsed.username || parsed.password) throw invalid(`must not contain a user name or password: ${url}`);
  return normaliseBaseUrl(url);
}

export function checkThreshold(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_THRESHOLD) {
    throw invalid(`the number of reproducers required must be a whole number from 1 to ${MAX_THRESHOLD}`);
  }
  return value;
}

/** Validate what a person typed into the options page; the key must import as Ed25519. */
export async function newPersonReproducer(
  input: { name: string; baseUrl: string; publicKeyPem: string },
  options: { allowLoopbackHttp: boolean },
): Promise<PersonReproducer> {
  const name = input.name.trim();
  if (name === '' || name.length > MAX_NAME) throw invalid(`a name of 1 to ${MAX_NAME} characters is needed`);
  const baseUrl = checkReproducerUrl(input.baseUrl.trim(), options.allowLoopbackHttp);
  const publicKeyPem = `${input.publicKeyPem.trim()}\n`;
  await importRebuilderKey(publicKeyPem); // throws rebuilder-key-invalid
  return { name, baseUrl, publicKeyPem };
}

/** Read stored settings; malformed entries are dropped, a malformed threshold is ignored. */
export function readPersonReproSettings(value: unknown, options: { allowLoopbackHttp: boolean }): PersonReproSettings {
  if (typeof value !== 'object' || value === null) return EMPTY_PERSON_SETTINGS;
  const { reproducers, threshold } = value as Record<string, unknown>;
  const out: PersonReproducer[] = [];
  if (Array.isArray(reproducers)) {
    for (const item of reproducers.slice(0, MAX_PERSON_REPRODUCERS)) {
      if (typeof item !== 'object' || item === null) continue;
      const { name, baseUrl, publicKeyPem } = item as Record<string, unknown>;
      if (typeof name !== 'string' || typeof baseUrl !== 'string' || typeof publicKeyPem !== 'string') continue;
      if (name.length === 0 || name.length > MAX_NAME || publicKeyPem.length > 4096) continue;
      try {
        out.push({ name, baseUrl: checkReproducerUrl(baseUrl, options.allowLoopbackHttp), publicKeyPem });
      } catch {
        continue;
      }
    }
  }
  let checked: number | undefined;
  try {
    checked = threshold === undefined ? undefined : checkThreshold(threshold);
  } catch {
    checked = undefined;
  }
  return { reproducers: out, ...(checked !== undefined ? { threshold: checked } : {}) };
}
