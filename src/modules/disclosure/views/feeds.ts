import type { PublicationRow } from '../publication.repository.ts';

/** XML text escaping (feeds and sitemaps are XML, not HTML). */
export function xml(s: string): string {
  // Characters not allowed in XML 1.0 are dropped.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** RSS 2.0 of a jurisdiction's (or category's) latest publications. */
export function rssFeed(o: { title: string; link: string; selfUrl: string; description: string; items: PublicationRow[]; itemUrl: (p: PublicationRow) => string }): string {
  const last = o.items[0]?.publishedAt ?? new Date(0);
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>${xml(o.title)}</title>
<link>${xml(o.link)}</link>
<atom:link href="${xml(o.selfUrl)}" rel="self" type="application/rss+xml"/>
<description>${xml(o.description)}</description>
<language>zh-cn</language>
<lastBuildDate>${last.toUTCString()}</lastBuildDate>
${o.items
  .map(
    (p) => `<item>
<title>${xml(p.title)}</title>
<link>${xml(o.itemUrl(p))}</link>
<guid isPermaLink="true">${xml(o.itemUrl(p))}</guid>
<pubDate>${(p.publishedAt ?? new Date(0)).toUTCString()}</pubDate>
<author>${xml(`noreply@gov.invalid (${p.organisationName})`)}</author>
<category>${xml(p.categoryCode)}</category>
<description>${xml(p.summary ?? p.bodyText.slice(0, 200))}</description>
</item>`,
  )
  .join('\n')}
</channel>
</rss>
`;
}

export function sitemap(urls: { loc: string; lastmod: Date | null }[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.map((u) => `<url><loc>${xml(u.loc)}</loc>${u.lastmod ? `<lastmod>${u.lastmod.toISOString().slice(0, 10)}</lastmod>` : ''}</url>`).join('\n')}
</urlset>
`;
}
