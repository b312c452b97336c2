/**
 * A verdict as people need it: a one-line answer with colour and icon first, what to do next,
 * and the evidence on demand. Plain props only (no extension APIs) so the website widget can
 * use it too. The root carries data-testid="verdict" and data-verdict=<kind> for e2e tests.
 */
import type { ComponentChildren } from 'preact';
import { messageKey } from '../core/errors.js';
import { verdictClass, type ExpectedFile, type Verdict, type VerdictWarning } from '../core/verdict.js';
import { localeOf, useT, type Translate } from './i18n-core.js';
import { formatBytes, formatDate, safeHref, unitFor } from './format.js';
import { EvidenceView } from './EvidenceView.js';
import { ErrorText } from './ErrorText.js';
import { Icon, type IconName } from './icons.js';
import {
  imageTypeKey,
  unverifiableReasonKey,
  unverifiableTodoKey,
  VERDICT_TONE,
  warningKey,
  wrongReleaseReasonKey,
  type Tone,
} from './labels.js';

export interface VerdictViewProps {
  verdict: Verdict;
  /** Offered on `incomplete`: continue the interrupted download. */
  onResume?: () => void;
  /** Offered on `mismatch`: the same file on another mirror. */
  alternativeUrl?: string;
  /** Popup size: the explanation moves into the expandable part. */
  compact?: boolean;
  /** Whether the evidence starts expanded. */
  evidenceOpen?: boolean;
  /** Announce the verdict to screen readers when it appears (off when a parent region does). */
  live?: boolean;
}

const TONE_ICON: Record<Tone, IconName> = { good: 'check', bad: 'cross', warn: 'warning', weak: 'minus' };

/** "Tails 7.2, USB image (IMG)". */
export function releaseName(t: Translate, expected: ExpectedFile): string {
  return t('release_name', [expected.product, expected.version, t(imageTypeKey(expected.type))]);
}

interface Wording {
  headline: string;
  explanation: ComponentChildren[];
}

/**
 * An unverifiable verdict's headline by severity: the red ones (evidence of tampering, the CLI
 * exits 1) say "Do not use" right there; the amber ones only that the check could not be made.
 */
export function unverifiableHeadline(
  t: Translate,
  reason: Extract<Verdict, { kind: 'unverifiable' }>['reason'],
): string {
  if (reason === 'signature-bad') return t('verdict_do_not_use_signature_bad');
  if (reason === 'rollback') return t('verdict_do_not_use_rollback');
  // Say it in the headline: nothing is wrong with the file, the site could not be reached.
  if (reason === 'offline') return t('verdict_unverifiable_offline');
  return t('verdict_unverifiable');
}

/** The one-line answer and the sentences that explain it, per verdict kind. */
/** The newest time a signature claims (good, or refused as made in the future): what the clock is behind. */
function latestSignatureTime(verdict: Verdict): string | undefined {
  const times = verdict.evidence.signatures
    .filter((s) => s.good || s.error?.code === 'signature-in-future')
    .map((s) => s.signatureTime)
    .filter((time): time is string => typeof time === 'string' && !Number.isNaN(Date.parse(time)));
  return times.sort((a, b) => Date.parse(b) - Date.parse(a))[0];
}

/** A warning in words; the key's-end warnings also give the computer's date and the key's end. */
export function warningText(t: Translate, w: VerdictWarning, checkedAt: string, locale: string): string {
  const text = t(warningKey(w.code));
  if (!w.until || Number.isNaN(Date.parse(w.until))) return text;
  return `${text} ${t('warn_key_end_dates', [formatDate(checkedAt, locale), formatDate(w.until, locale)])}`;
}

export function verdictWording(t: Translate, verdict: Verdict, locale: string): Wording {
  switch (verdict.kind) {
    case 'verified': {
      const date = formatDate(verdict.signer.signatureTime, locale);
      const product = verdict.expected.product;
      // Which signature names the release; a verdict stored before `facts` existed: the image's own signature names none.
      const release =
        verdict.evidence.facts?.release ?? (verdict.signer.over === 'image' ? 'unsigned' : verdict.signer.over);
      // "Only signed facts decide": the headline names the release only when a signature names
      // it (a signed description, or an earlier release's signed upgrade description). Tails
      // today signs the image alone: the headline says what that signature proves, and the
      // version, which only the website's unsigned description gives, is in the evidence.
      const versionSigned = release !== 'unsigned';
      return {
        headline: versionSigned
          ? t('verdict_verified', [releaseName(t, verdict.expected), product])
          : t('verdict_verified_image', [product, t(imageTypeKey(verdict.expected.type)), product]),
        explanation: [
          versionSigned
            ? t('verdict_verified_explain', [product, date])
            : t('verdict_verified_image_explain', [product, date]),
          // The previous release's signed upgrade description names this release: say so.
          ...(release === 'upgrade-description'
            ? [t('verdict_verified_version_signed_upgrade', [verdict.expected.version, product])]
            : []),
          usbNextStep(t),
        ],
      };
    }
    case 'mismatch':
      return {
        // "Do not use" only when a signature proves it; unsigned data alone cannot (#20).
        headline:
          verdictClass(verdict) === 'not-authentic'
            ? t('verdict_mismatch', verdict.expected.product)
            : t('verdict_mismatch_unproven', verdict.expected.product),
        explanation: [t('verdict_mismatch_explain', releaseName(t, verdict.expected)), ...referenceNotes(t, verdict)],
      };
    case 'incomplete': {
      const unit = unitFor(verdict.expected.size);
      return {
        headline: t('verdict_incomplete', [
          formatBytes(verdict.evidence.file.size, locale, unit),
          formatBytes(verdict.expected.size, locale, unit),
        ]),
        explanation: [t('verdict_incomplete_explain', releaseName(t, verdict.expected)), ...referenceNotes(t, verdict)],
      };
    }
    case 'oversized':
      return {
        headline:
          verdictClass(verdict) === 'not-authentic'
            ? t('verdict_oversized', releaseName(t, verdict.expected))
            : t('verdict_oversized_unproven', releaseName(t, verdict.expected)),
        explanation: [
          t('verdict_oversized_explain', [formatBytes(verdict.extraBytes, locale), verdict.expected.product]),
          ...referenceNotes(t, verdict),
        ],
      };
    case 'wrong-release': {
      const expected = verdict.expected;
      // Without the expected file there is no release to name, only that it is not one.
      const reason = expected
        ? t(wrongReleaseReasonKey(verdict.reason), [expected.product, expected.version, t(imageTypeKey(expected.type))])
        : t('wrong_release_no_expected');
      return {
        headline: expected
          ? t('verdict_wrong_release', [verdict.evidence.file.name, releaseName(t, expected)])
          : t('verdict_wrong_release_unknown', verdict.evidence.file.name),
        explanation: [
          reason,
          ...(expected && verdict.evidence.facts?.release === 'unsigned'
            ? [t('verdict_release_unsigned', expected.product)]
            : []),
          t('verdict_wrong_release_todo'),
        ],
      };
    }
    case 'unverifiable': {
      const reason = t(unverifiableReasonKey(verdict.reason));
      if (verdict.reason === 'clock-wrong') {
        // Both dates in the person's words; the raw times stay in the evidence.
        const signed = latestSignatureTime(verdict);
        return {
          headline: unverifiableHeadline(t, verdict.reason),
          explanation: [
            reason,
            ...(signed
              ? [
                  t('unverifiable_clock_wrong_dates', [
                    formatDate(verdict.evidence.checkedAt, locale),
                    formatDate(signed, locale),
                  ]),
                ]
              : []),
            t(unverifiableTodoKey(verdict.reason)),
          ],
        };
      }
      // Do not say the same sentence twice when the error's message is the reason's.
      const sameWords = t(messageKey(verdict.error.code)) === reason;
      const error =
        sameWords && !verdict.error.detail ? null : (
          <ErrorText class="verdict-error" error={verdict.error} detailOnly={sameWords} />
        );
      return {
        headline: unverifiableHeadline(t, verdict.reason),
        explanation: [
          reason,
          error,
          t(keyUnreachable(verdict) ? 'unverifiable_key_unreachable_todo' : unverifiableTodoKey(verdict.reason)),
        ].filter((part) => part !== null),
      };
    }
    case 'checksum-only':
      return {
        headline: t('verdict_checksum_only'),
        explanation: [
          t('verdict_checksum_only_explain', releaseName(t, verdict.expected)),
          verdict.error ? <ErrorText class="verdict-error" error={verdict.error} /> : null,
        ].filter((part) => part !== null),
      };
  }
}

/**
 * A key problem while the current key could not be downloaded: the person's problem is the
 * network, not an outdated ISO Verify, so the first thing to do is to reconnect.
 */
function keyUnreachable(verdict: Extract<Verdict, { kind: 'unverifiable' }>): boolean {
  if (verdict.reason !== 'key-invalid') return false;
  return verdict.evidence.inputs.some(
    (input) =>
      input.role === 'signing-key' && (input.error?.code === 'fetch-failed' || input.error?.code === 'fetch-timeout'),
  );
}

/**
 * The next step after a verified image: check the USB stick it is written to (CLI, docs/cli.md
 * "Checking a USB stick"). Linked to the CLI's install text only inside the extension, which
 * ships it as cli.txt; the website widget shows the command alone.
 */
export const CLI_DOC_URL = 'cli.txt';
function usbNextStep(t: Translate): ComponentChildren {
  const command = <code>iso-verify verify /dev/…</code>;
  const inExtension = /-extension:$/.test(globalThis.location?.protocol ?? '');
  return (
    <span data-testid="verdict-next-usb">
      {t('verdict_verified_next_usb')}{' '}
      {inExtension ? (
        <a href={CLI_DOC_URL} target="_blank" rel="noopener noreferrer">
          {command}
        </a>
      ) : (
        command
      )}
    </span>
  );
}

/** What a size/hash comparison rested on, when that was not a signed reference. */
function referenceNotes(t: Translate, verdict: Extract<Verdict, { expected: ExpectedFile }>): string[] {
  if (verdict.evidence.facts?.reference !== 'unsigned') return [];
  const badSignature = verdict.evidence.signatures.some(
    (s) => s.over === 'image' && !s.good && s.error?.code === 'signature-bad',
  );
  return [
    ...(badSignature ? [t('verdict_image_signature_bad', verdict.expected.product)] : []),
    t('verdict_reference_unsigned', verdict.expected.product),
  ];
}

/**
 * Colour per kind, within the verdict's class (verdictClass): an unverifiable verdict that is
 * itself evidence of tampering (a bad signature, a rollback: `not-authentic`) is shown as red,
 * not amber, and a "not this file" that only unsigned data suggests (`unverified`) is amber, not red.
 */
export function toneOf(verdict: Verdict): Tone {
  const cls = verdictClass(verdict);
  if (verdict.kind === 'unverifiable') return cls === 'not-authentic' ? 'bad' : 'warn';
  if (verdict.kind !== 'verified' && verdict.kind !== 'checksum-only' && cls === 'unverified') return 'warn';
  return VERDICT_TONE[verdict.kind];
}

function expectedOf(verdict: Verdict): ExpectedFile | undefined {
  return 'expected' in verdict ? verdict.expected : undefined;
}

export function VerdictView({
  verdict,
  onResume,
  alternativeUrl,
  compact = false,
  evidenceOpen = false,
  live = true,
}: VerdictViewProps) {
  const t = useT();
  const locale = localeOf(t);
  const tone = toneOf(verdict);
  const wording = verdictWording(t, verdict, locale);
  const otherMirror = verdict.kind === 'mismatch' ? safeHref(alternativeUrl) : undefined;
  const explanation = (
    <div class="verdict-explain">
      {wording.explanation.map((part, index) => (
        <p key={index}>{part}</p>
      ))}
    </div>
  );
  const actions =
    (verdict.kind === 'incomplete' && onResume) || otherMirror ? (
      <div class="actions">
        {verdict.kind === 'incomplete' && onResume ? (
          <button type="button" class="button button--primary" onClick={onResume} data-testid="resume">
            {t('action_resume_download')}
          </button>
        ) : null}
        {otherMirror ? (
          <a
            class="button button--primary"
            href={otherMirror}
            target="_blank"
            rel="noopener noreferrer"
            data-testid="other-mirror"
          >
            {t('action_download_other_mirror')}
          </a>
        ) : null}
      </div>
    ) : null;

  return (
    <section
      class={`verdict verdict--${tone}${compact ? ' verdict--compact' : ''}`}
      data-testid="verdict"
      data-verdict={verdict.kind}
      aria-live={live ? 'polite' : undefined}
    >
      <p class="verdict-headline">
        <Icon name={TONE_ICON[tone]} class="verdict-icon" />
        <span class="verdict-text" data-testid="verdict-headline">
          {wording.headline}
        </span>
      </p>
      {compact ? null : explanation}
      {verdict.evidence.warnings?.length ? (
        // Shown with the verdict, never instead of it: what the person should know besides.
        <ul class="verdict-warnings" data-testid="verdict-notes">
          {verdict.evidence.warnings.map((w) => (
            <li key={w.code} data-code={w.code}>
              <Icon name="warning" class="verdict-warning-icon" />
              <span>{warningText(t, w, verdict.evidence.checkedAt, locale)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {actions}
      <details class="evidence" open={evidenceOpen}>
        <summary>{t(compact ? 'verdict_more' : 'evidence_show')}</summary>
        {compact ? explanation : null}
        <EvidenceView evidence={verdict.evidence} expected={expectedOf(verdict)} />
      </details>
    </section>
  );
}
