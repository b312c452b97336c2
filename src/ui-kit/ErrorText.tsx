/** An ErrorInfo as the translated message for its code plus the specific detail. */
import type { ErrorInfo } from '../core/errors.js';
import { messageKey } from '../core/errors.js';
import { useT } from './i18n-core.js';

/** `detailOnly`: the message is already said nearby in other words; show just the fact. */
export function ErrorText({
  error,
  class: className,
  detailOnly = false,
}: {
  error: ErrorInfo;
  class?: string;
  detailOnly?: boolean;
}) {
  const t = useT();
  if (detailOnly) {
    return error.detail ? (
      <span class={className} data-error-code={error.code}>
        <span class="error-detail">{error.detail}</span>
      </span>
    ) : null;
  }
  return (
    <span class={className} data-error-code={error.code}>
      {t(messageKey(error.code))}
      {error.detail ? <span class="error-detail"> ({error.detail})</span> : null}
    </span>
  );
}
