/**
 * Sign a reproducer's statement: the canonical JSON of `signed` (src/core/repro/canonical-json.ts,
 * the bytes in-toto signs) with the reproducer's Ed25519 key, then read it back with the same
 * verifier the extension uses, so a link we write is a link we accept.
 */
import { IsoVerifyError } from '../../core/errors.js';
import { verifyAttestation } from '../../core/repro/attestation.js';
import { canonicalJsonBytes } from '../../core/repro/canonical-json.js';
import { importRebuilderKey } from '../../core/repro/keys.js';
import { reproducerLinkSigned, type ReproducerStatement } from '../../core/repro/reproducer-link.js';
import { publicKeyPem, signHex, type SigningKey } from './signing-key.js';

export interface SignedLink {
  document: { signatures: { keyid: string; sig: string }[]; signed: Record<string, unknown> };
  /** What to publish (indented JSON; the signature covers the canonical form of `signed`). */
  text: string;
}

export async function makeReproducerLink(key: SigningKey, statement: ReproducerStatement): Promise<SignedLink> {
  const signed = reproducerLinkSigned(statement);
  const document = { signatures: [{ keyid: key.keyId, sig: signHex(key, canonicalJsonBytes(signed)) }], signed };
  const text = `${JSON.stringify(document, null, 2)}\n`;
  const verified = await verifyAttestation(
    new TextEncoder().encode(text),
    await importRebuilderKey(publicKeyPem(key.publicKeyHex)),
  );
  if (verified.products.get(statement.fileName)?.sha256 !== statement.sha256) {
    throw new IsoVerifyError('internal', 'the link just made does not verify as written');
  }
  return { document, text };
}
