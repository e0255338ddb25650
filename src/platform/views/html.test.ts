import { describe, expect, it } from 'vitest';
import { attr, html, raw } from './html.ts';

describe('html', () => {
  it('escapes interpolated strings', () => {
    expect(html`<p>${'<script>alert("x")</script>'}</p>`.value).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>',
    );
  });
  it('escapes quotes in attributes', () => {
    expect(html`<a title="${`" onmouseover='x'`}">`.value).toBe('<a title="&quot; onmouseover=&#39;x&#39;">');
  });
  it('keeps nested SafeHtml and joins arrays', () => {
    const items = ['a&b', 'c'].map((s) => html`<li>${s}</li>`);
    expect(html`<ul>${items}</ul>`.value).toBe('<ul><li>a&amp;b</li><li>c</li></ul>');
  });
  it('renders nothing for null, undefined and booleans', () => {
    expect(html`${null}${undefined}${false}${true}|`.value).toBe('|');
  });
  it('passes raw markup through and builds attributes', () => {
    expect(html`${raw('<b>x</b>')}<input${attr('disabled', true)}${attr('value', '"')}>`.value).toBe(
      '<b>x</b><input disabled value="&quot;">',
    );
  });
});
