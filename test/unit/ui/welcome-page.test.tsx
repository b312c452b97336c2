import { describe, expect, it } from 'vitest';
import { WelcomePage } from '../../../src/ui/pages/WelcomePage.js';
import { render, textOf } from './render.js';

describe('WelcomePage', () => {
  it('explains in two sentences why file access matters and offers the details page', () => {
    const html = render(<WelcomePage fileAccess={false} onOpenDetails={() => undefined} />);
    expect(html).toContain('data-testid="open-details"');
    const lead = textOf(html);
    expect(lead).toContain('Allow access to file URLs');
    expect(lead).toContain('details page');
    const sentences = textOf(html.slice(html.indexOf('class="lead"'), html.indexOf('class="actions"')))
      .split(/(?<=[.!])\s/)
      .filter((s) => s.length > 20);
    expect(sentences).toHaveLength(2);
  });

  it('says when file access is on, and German is complete', () => {
    expect(render(<WelcomePage fileAccess={true} onOpenDetails={() => undefined} />)).toContain(
      'data-testid="welcome-done"',
    );
    const de = textOf(render(<WelcomePage fileAccess={false} onOpenDetails={() => undefined} />, 'de'));
    expect(de).toContain('Zugriff auf Datei-URLs zulassen');
    expect(de).toContain('Detailseite der Erweiterung öffnen');
  });
});
