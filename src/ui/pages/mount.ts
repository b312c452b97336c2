/** Common page start-up: translated title, document language and direction, then render. */
import { dirOf, localeOf, type Translate } from '../../ui-kit/i18n-core.js';

export function mountPage(t: Translate, titleKey: string, render: () => void): void {
  document.documentElement.lang = localeOf(t);
  document.documentElement.dir = dirOf(t);
  document.title = titleKey === 'extName' ? t('extName') : `${t(titleKey)} – ${t('extName')}`;
  render();
}
