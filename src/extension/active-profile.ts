/**
 * The profile this build was made for. The build (build/webpack.extension.js) validates the
 * profile chosen with `--env profile=…` and injects it as __ISO_VERIFY_PROFILE__; background
 * and pages read it only from here. It is re-validated at start-up: a bundle edited by hand
 * fails closed rather than trusting a bad profile.
 */
import { IsoVerifyError } from '../core/errors.js';
import type { Profile } from '../core/profile.js';
import { parseProfile } from '../core/profile-schema.js';

declare const __ISO_VERIFY_PROFILE__: unknown;

function injectedProfile(): unknown {
  if (typeof __ISO_VERIFY_PROFILE__ !== 'undefined') return __ISO_VERIFY_PROFILE__;
  // Unit tests of pages may set it on globalThis before importing.
  const fromGlobal = (globalThis as { __ISO_VERIFY_PROFILE__?: unknown }).__ISO_VERIFY_PROFILE__;
  if (fromGlobal !== undefined) return fromGlobal;
  throw new IsoVerifyError('profile-invalid', 'no profile was injected by the build (__ISO_VERIFY_PROFILE__)');
}

export const activeProfile: Profile = parseProfile(injectedProfile());
