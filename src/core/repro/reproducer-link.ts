/**
 * The statement a reproducer signs (`iso-verify attest`): an in-toto v0.9 link in the shape
 * rebuilderd produces, so the same verifier reads both —
 *
 *   {"_type":"link","name":"rebuild <file>","materials":{},"products":{"<file>":{"sha256","sha512"}},
 *    "environment":{"product":"Tails","version":"7.2"},"byproducts":{},"command":[]}
 *
 * `environment` names the release (in-toto leaves its content to the producer; rebuilderd
 * sends null). A link that names a release must name the one asked about.
 */
import { IsoVerifyError } from '../errors.js';
import type { ReleaseRef } from './static-reproducer.js';

export interface ReproducerStatement extends ReleaseRef {
  sha256: string;
  sha512: string;
}

/** The `signed` part of a reproducer's link. */
export function reproducerLinkSigned(statement: ReproducerStatement): Record<string, unknown> {
  if (!/^[0-9a-f]{64}$/.test(statement.sha256))
    throw new IsoVerifyError('input-invalid-value', 'sha256 is not a lowercase hex digest');
  if (!/^[0-9a-f]{128}$/.test(statement.sha512))
    throw new IsoVerifyError('input-invalid-value', 'sha512 is not a lowercase hex digest');
  return {
    _type: 'link',
    name: `rebuild ${statement.fileName}`,
    materials: {},
    products: { [statement.fileName]: { sha256: statement.sha256, sha512: statement.sha512 } },
    environment: { product: statement.product, version: statement.version },
    byproducts: {},
    command: [],
  };
}

/** The product and version a link's `environment` names, where it names them (strings only). */
export function linkRelease(signed: Record<string, unknown>): { product?: string; version?: string } {
  const env = signed.environment;
  if (typeof env !== 'object' || env === null || Array.isArray(env)) return {};
  const { product, version } = env as Record<string, unknown>;
  return {
    ...(typeof product === 'string' ? { product } : {}),
    ...(typeof version === 'string' ? { version } : {}),
  };
}
