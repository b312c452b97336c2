/** An ErrorInfo as the translated message for its code plus the specific detail. */
import type { ErrorInfo } from '../../core/errors.js';
import { messageKey } from '../../core/errors.js';
import { useT } from '../i18n-core.js';

export function ErrorText({ error, class: className }: { error: ErrorInfo; class?: string }) {
  const t = useT();
  return (
    <span class={className} data-error-code={error.code}>
      {t(messageKey(error.code))}
      {error.detail ? <span class="error-detail"> ({error.detail})</span> : null}
    </span>
  );
}
