/**
 * Message keys for enum values, kept in one place so the i18n test can check every value
 * has a string, and components never build keys ad hoc.
 */
import type {
  FactSource,
  ImageType,
  InputRecord,
  SignatureDetails,
  UnverifiableReason,
  VerdictKind,
  WarningCode,
  WrongReleaseReason,
} from '../core/verdict.js';
import type { RebuilderReason, RebuilderState } from '../core/repro/types.js';

const snake = (value: string) => value.replace(/-/g, '_');

export const imageTypeKey = (type: ImageType) => `type_${type}`;
export const unverifiableReasonKey = (reason: UnverifiableReason) => `unverifiable_${snake(reason)}`;
export const unverifiableTodoKey = (reason: UnverifiableReason) => `unverifiable_${snake(reason)}_todo`;
export const wrongReleaseReasonKey = (reason: WrongReleaseReason) => `wrong_release_${snake(reason)}`;
export const inputRoleKey = (role: InputRecord['role']) => `input_${snake(role)}`;
export const signatureOverKey = (over: SignatureDetails['over']) => `signature_over_${snake(over)}`;
export const rebuilderStateKey = (state: RebuilderState) => `rebuilder_${snake(state)}`;
export const rebuilderReasonKey = (reason: RebuilderReason) => `repro_reason_${snake(reason)}`;
export const warningKey = (code: WarningCode) => `warn_${snake(code)}`;
export const factSourceKey = (source: FactSource) => `fact_source_${snake(source)}`;

/** How alarming each verdict is; drives colour and icon. */
export type Tone = 'good' | 'bad' | 'warn' | 'weak';

export const VERDICT_TONE: Record<VerdictKind, Tone> = {
  verified: 'good',
  mismatch: 'bad',
  incomplete: 'warn',
  oversized: 'bad',
  'wrong-release': 'bad',
  unverifiable: 'warn',
  'checksum-only': 'weak',
};

/** Every member of a string union, checked complete by the compiler via the Record keys. */
function allOf<T extends string>(members: Record<T, true>): readonly T[] {
  return Object.keys(members) as T[];
}

export const UNVERIFIABLE_REASONS = allOf<UnverifiableReason>({
  offline: true,
  'descriptor-invalid': true,
  'descriptor-expired': true,
  rollback: true,
  'signature-bad': true,
  'signature-unknown-key': true,
  'key-invalid': true,
  'no-signature': true,
  'hash-failed': true,
  'signature-unreadable': true,
  'signature-newer-key': true,
  'clock-wrong': true,
});
export const WARNING_CODES = allOf<WarningCode>({
  'unsigned-description-differs': true,
  'signing-key-expires-soon': true,
  'saved-under-other-name': true,
  'renamed-copy': true,
  'signing-key-not-refreshed': true,
  'clock-past-key-expiry': true,
});
export const FACT_SOURCES = allOf<FactSource>({
  description: true,
  'upgrade-description': true,
  image: true,
  unsigned: true,
});
export const WRONG_RELEASE_REASONS = allOf<WrongReleaseReason>({
  'other-version': true,
  'older-version': true,
  'other-type': true,
  'other-product': true,
  'unknown-file': true,
});
export const INPUT_ROLES = allOf<InputRecord['role']>({
  description: true,
  'description-signature': true,
  'image-signature': true,
  'upgrade-description': true,
  'upgrade-description-signature': true,
  'mirror-pool': true,
  'signing-key': true,
});
export const SIGNATURE_OVER = allOf<SignatureDetails['over']>({
  description: true,
  image: true,
  'upgrade-description': true,
});
export const REBUILDER_STATES = allOf<RebuilderState>({
  reproduced: true,
  mismatch: true,
  unconfirmed: true,
  failed: true,
  pending: true,
  unknown: true,
  unreachable: true,
  'bad-attestation': true,
});
export const IMAGE_TYPES = allOf<ImageType>({ iso: true, img: true });
