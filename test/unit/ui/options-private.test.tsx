import { describe, expect, it } from 'vitest';
import { HistorySection, PrivateWindowsSection } from '../../../src/ui/pages/OptionsPage.js';
import { render, textOf } from './render.js';

const save = async () => undefined;

describe('options: private windows', () => {
  it('when not allowed, says so in one sentence with how to allow it, per browser', () => {
    const firefox = textOf(render(<PrivateWindowsSection access={{ allowed: false, browser: 'firefox' }} />));
    expect(firefox).toContain('about:addons');
    expect(firefox).toContain('Run in Private Windows');
    const body = firefox.replace('Private windows and Tor Browser', '').trim();
    expect(body.split(/(?<=[.!])\s/)).toHaveLength(1);
    const chrome = textOf(render(<PrivateWindowsSection access={{ allowed: false, browser: 'chrome' }} />));
    expect(chrome).toContain('chrome://extensions');
    expect(chrome).toContain('Allow in Incognito');
    expect(textOf(render(<PrivateWindowsSection access={{ allowed: false, browser: 'firefox' }} />, 'de'))).toContain(
      'In privaten Fenstern ausführen',
    );
  });

  it('when allowed, says private downloads are checked and not written to disk', () => {
    const html = render(<PrivateWindowsSection access={{ allowed: true, browser: 'firefox' }} />);
    expect(html).toContain('data-allowed="true"');
    expect(textOf(html)).toContain('keeps nothing about them on disk');
  });
});

describe('options: history', () => {
  it('offers keep-no-history and day counts, the current value selected, in English and German', () => {
    const html = render(<HistorySection keepDays={7} onChange={save} />);
    expect(html).toContain('data-keep-days="7"');
    const text = textOf(html);
    expect(text).toContain('Keep no history');
    expect(text).toContain('7 days');
    expect(text).toContain('1 day');
    expect(text).toContain('signed release versions');
    expect(textOf(render(<HistorySection keepDays={0} onChange={save} />, 'de'))).toContain('Keinen Verlauf behalten');
  });

  it('a stored value not among the choices is shown as it is', () => {
    expect(textOf(render(<HistorySection keepDays={12} onChange={save} />))).toContain('12 days');
  });
});
