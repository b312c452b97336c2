/**
 * Chromium without file access: the one-time set-up. Two sentences say why file access
 * matters, and one button opens the extension's details page (chrome://extensions/?id=…),
 * where the "Allow access to file URLs" switch is. Data in, callback out (welcome.tsx wires it).
 */
import { useT } from '../../ui-kit/i18n-core.js';

export interface WelcomePageProps {
  /** Whether file access is on now ('unknown' while it is being read or where the browser cannot say). */
  fileAccess: boolean | 'unknown';
  onOpenDetails: () => void;
}

export function WelcomePage({ fileAccess, onOpenDetails }: WelcomePageProps) {
  const t = useT();
  return (
    <main class="page-main" data-testid="welcome" data-file-access={String(fileAccess)}>
      <header class="page-header">
        <h1 class="page-title">{t('welcome_title')}</h1>
      </header>
      {fileAccess === true ? (
        <p class="status-line status-line--good" data-testid="welcome-done">
          {t('welcome_done')}
        </p>
      ) : (
        <>
          <p class="lead">{t('welcome_why')}</p>
          <p>{t('welcome_how')}</p>
          <div class="actions">
            <button type="button" class="button button--primary" data-testid="open-details" onClick={onOpenDetails}>
              {t('welcome_open_details')}
            </button>
          </div>
        </>
      )}
    </main>
  );
}
