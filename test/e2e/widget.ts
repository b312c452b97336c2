/** The website widget as the e2e suites drive it: pick a file in its shadow root, read its verdict. */
import type { Page } from 'puppeteer-core';

export interface WidgetVerdict {
  /** The verdict kind (data-verdict), or "error" when the widget shows an error instead. */
  kind: string;
  headline: string;
  /** Everything the verdict shows, as the person reads it. */
  text: string;
  /** The extension answered, not the widget's own engine. */
  byExtension: boolean;
}

/** Pick `file` in the widget's input (inside its shadow root) and wait for the verdict. */
export async function verifyInWidget(page: Page, file: string): Promise<WidgetVerdict> {
  // Forget the previous verdict first, so the wait below sees the new one.
  await page.evaluate(() =>
    document.querySelector('iso-verify-download')?.shadowRoot?.querySelector('[data-testid="verdict"]')?.remove(),
  );
  const input = await page.waitForSelector('iso-verify-download >>> input[type="file"]');
  await input!.uploadFile(file);
  const handle = await page.waitForFunction(
    () => {
      const root = document.querySelector('iso-verify-download')?.shadowRoot;
      const verdict = root?.querySelector('[data-testid="verdict"]');
      const error = root?.querySelector('[data-testid="verify-error"]');
      if (error)
        return { kind: 'error', headline: error.textContent ?? '', text: error.textContent ?? '', byExtension: false };
      if (!verdict) return false;
      return {
        kind: verdict.getAttribute('data-verdict') ?? '',
        headline: verdict.querySelector('[data-testid="verdict-headline"]')?.textContent ?? '',
        text: (verdict as HTMLElement).innerText,
        byExtension: root!.querySelector('[data-testid="checked-by-extension"]') !== null,
      };
    },
    { timeout: 180_000, polling: 250 },
  );
  return (await handle.jsonValue()) as WidgetVerdict;
}
