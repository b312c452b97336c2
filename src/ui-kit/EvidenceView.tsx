/**
 * Everything a verdict was based on, for people who want to check: hashes side by side, sizes,
 * release, signatures with grouped fingerprints, and every input with its URL and error.
 */
import type { ComponentChildren } from 'preact';
import type { Evidence, ExpectedFile, SignatureDetails } from '../core/verdict.js';
import { localeOf, useT } from './i18n-core.js';
import { formatBytes, formatDate, formatExactBytes, groupFingerprint } from './format.js';
import { ErrorText } from './ErrorText.js';
import { factSourceKey, imageTypeKey, inputRoleKey, signatureOverKey, warningKey } from './labels.js';

/** Which signature vouches for what (DESIGN.md "Only signed facts decide"), and any warnings. */
function FactRows({ evidence }: { evidence: Evidence }) {
  const t = useT();
  const { facts, warnings } = evidence;
  return (
    <>
      {facts ? (
        <Row label={t('ev_facts')}>
          <ul class="ev-facts" data-testid="signed-facts">
            <li>{t('ev_fact_release', t(factSourceKey(facts.release)))}</li>
            <li>{t('ev_fact_reference', t(factSourceKey(facts.reference)))}</li>
            {facts.bytes ? <li>{t('ev_fact_bytes', t(factSourceKey(facts.bytes)))}</li> : null}
          </ul>
        </Row>
      ) : null}
      {warnings && warnings.length > 0 ? (
        <Row label={t('ev_warnings')}>
          <ul class="ev-warnings" data-testid="verdict-warnings">
            {warnings.map((w) => (
              <li key={w.code} data-code={w.code}>
                {t(warningKey(w.code))}
                {w.detail ? <span class="ev-detail"> ({w.detail})</span> : null}
              </li>
            ))}
          </ul>
        </Row>
      ) : null}
    </>
  );
}

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="ev-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Fingerprint({ value }: { value: string }) {
  return <code class="fingerprint">{groupFingerprint(value)}</code>;
}

function SizeText({ bytes }: { bytes: number }) {
  const t = useT();
  const locale = localeOf(t);
  return <>{t('size_with_exact', [formatBytes(bytes, locale), formatExactBytes(bytes, locale)])}</>;
}

function HashRows({ evidence, expected }: { evidence: Evidence; expected: ExpectedFile | undefined }) {
  const t = useT();
  const computed = evidence.file.sha256;
  const same = expected !== undefined && computed !== '' && computed.toLowerCase() === expected.sha256.toLowerCase();
  return (
    <>
      {expected ? (
        <Row label={t('ev_sha256_expected')}>
          <code class="hash">{expected.sha256}</code>
        </Row>
      ) : null}
      <Row label={t('ev_sha256_computed')}>
        <code class="hash">{computed || t('ev_not_computed')}</code>
        {expected ? (
          <span class={`badge ${same ? 'badge--good' : 'badge--bad'}`} data-testid="hash-compare">
            {t(same ? 'ev_hash_same' : 'ev_hash_differs')}
          </span>
        ) : null}
      </Row>
    </>
  );
}

function SignatureItem({ signature }: { signature: SignatureDetails }) {
  const t = useT();
  const locale = localeOf(t);
  return (
    <li class="ev-signature" data-good={String(signature.good)}>
      <p class="ev-signature-title">
        <span class={`badge ${signature.good ? 'badge--good' : 'badge--bad'}`}>
          {t(signature.good ? 'ev_signature_good' : 'ev_signature_bad')}
        </span>{' '}
        {t(signatureOverKey(signature.over))}
      </p>
      <dl class="ev-list ev-list--nested">
        {signature.primaryFingerprint ? (
          <Row label={t('ev_primary_key')}>
            <Fingerprint value={signature.primaryFingerprint} />
          </Row>
        ) : null}
        {signature.signingKeyFingerprint ? (
          <Row label={t('ev_signing_key')}>
            <Fingerprint value={signature.signingKeyFingerprint} />
          </Row>
        ) : null}
        {signature.keyId && !signature.signingKeyFingerprint ? (
          <Row label={t('ev_key_id')}>
            <Fingerprint value={signature.keyId} />
          </Row>
        ) : null}
        {signature.signatureTime ? (
          <Row label={t('ev_signature_date')}>{formatDate(signature.signatureTime, locale)}</Row>
        ) : null}
        {signature.hashAlgorithm || signature.publicKeyAlgorithm ? (
          <Row label={t('ev_algorithms')}>
            {[signature.publicKeyAlgorithm, signature.hashAlgorithm].filter(Boolean).join(', ')}
          </Row>
        ) : null}
        {signature.error ? (
          <Row label={t('ev_problem')}>
            <ErrorText error={signature.error} />
          </Row>
        ) : null}
      </dl>
    </li>
  );
}

export function EvidenceView({ evidence, expected }: { evidence: Evidence; expected?: ExpectedFile | undefined }) {
  const t = useT();
  const locale = localeOf(t);
  const release = expected ?? evidence.expected;
  return (
    <div class="evidence-body" data-testid="evidence">
      <dl class="ev-list">
        <Row label={t('ev_file')}>
          <span class="filename">{evidence.file.name}</span>
        </Row>
        <Row label={t('ev_size')}>
          <SizeText bytes={evidence.file.size} />
        </Row>
        {release ? (
          <Row label={t('ev_expected_size')}>
            <SizeText bytes={release.size} />
          </Row>
        ) : null}
        <HashRows evidence={evidence} expected={release} />
        {release ? (
          <Row label={t('ev_release')}>
            {t('release_name', [release.product, release.version, t(imageTypeKey(release.type))])}
            {/* No signature names the version (Tails today): say where it comes from, in words. */}
            {evidence.facts?.release === 'unsigned' ? (
              <>
                <br />
                <span class="ev-detail" data-testid="version-unsigned">
                  {t('ev_release_version_unsigned', [release.version, release.product])}
                </span>
              </>
            ) : null}
            <br />
            <span class="url">{release.url}</span>
          </Row>
        ) : null}
        <FactRows evidence={evidence} />
        <Row label={t('ev_profile')}>{evidence.profile}</Row>
        <Row label={t('ev_checked_at')}>{formatDate(evidence.checkedAt, locale)}</Row>
      </dl>

      {/* h2: the evidence sits right under the page's h1 (popup, verification page); h3 would skip a level. */}
      <h2 class="ev-heading">{t('ev_signatures')}</h2>
      {evidence.signatures.length ? (
        <ul class="ev-signatures">
          {evidence.signatures.map((signature, index) => (
            <SignatureItem key={index} signature={signature} />
          ))}
        </ul>
      ) : (
        <p class="muted">{t('ev_no_signatures')}</p>
      )}

      <h2 class="ev-heading">{t('ev_inputs')}</h2>
      {evidence.inputs.length ? (
        <ul class="ev-inputs">
          {evidence.inputs.map((input, index) => (
            <li key={index} data-failed={String(input.error !== undefined)}>
              <span class="ev-input-role">{t(inputRoleKey(input.role))}</span>
              {input.bytes !== undefined ? <span class="muted"> · {formatBytes(input.bytes, locale)}</span> : null}
              {input.fetchedAt ? <span class="muted"> · {formatDate(input.fetchedAt, locale)}</span> : null}
              <br />
              <span class="url">{input.source}</span>
              {input.error ? (
                <>
                  <br />
                  <ErrorText class="ev-input-error" error={input.error} />
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('ev_no_inputs')}</p>
      )}
    </div>
  );
}
