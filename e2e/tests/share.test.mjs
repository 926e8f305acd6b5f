// Share links: every network gets the article's canonical address (URL-encoded), and
// "Salin tautan" links to the canonical address itself.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { allArticles, BASE, launch, newContext, PAGE_TYPES, settle, url } from '../lib/harness.mjs';

// Which networks, and where each one's link must point.
const NETWORKS = [
  { label: 'WhatsApp', prefix: 'https://wa.me/', param: 'text', contains: true },
  { label: 'Facebook', prefix: 'https://www.facebook.com/sharer/sharer.php', param: 'u' },
  { label: 'X', prefix: 'https://x.com/intent/', param: 'url' },
  { label: 'Telegram', prefix: 'https://t.me/share/url', param: 'url' },
  { label: 'Surel', prefix: 'mailto:', param: 'body', contains: true },
];

/** The value of a query parameter as written in the href (still encoded). */
function rawParam(href, name) {
  const query = href.slice(href.indexOf('?') + 1);
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq) === name) return pair.slice(eq + 1);
  }
  return undefined;
}

function checkShareLinks(links, canonical, where) {
  const encoded = encodeURIComponent(canonical);
  for (const network of NETWORKS) {
    const link = links.find((l) => l.text === network.label);
    assert.ok(link, `${where}: a "${network.label}" share link`);
    assert.ok(
      link.href.startsWith(network.prefix),
      `${where}: ${network.label} link goes to ${network.prefix}, got ${link.href}`,
    );
    const value = rawParam(link.href, network.param);
    assert.ok(value !== undefined, `${where}: ${network.label} link has a "${network.param}" parameter`);
    if (network.contains) {
      assert.ok(
        value.includes(encoded),
        `${where}: ${network.label} "${network.param}" carries the encoded canonical URL ${encoded}, got ${value}`,
      );
    } else {
      assert.equal(value, encoded, `${where}: ${network.label} "${network.param}" is the encoded canonical URL`);
    }
    // And decoding gives back the address exactly (no double encoding).
    assert.ok(
      decodeURIComponent(value).includes(canonical),
      `${where}: ${network.label} link decodes to the canonical URL`,
    );
  }
  const copy = links.find((l) => l.text === 'Salin tautan');
  assert.ok(copy, `${where}: a "Salin tautan" link`);
  assert.equal(copy.href, canonical, `${where}: "Salin tautan" links to the canonical URL`);
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('article page: share links carry the canonical URL; Salin tautan copies it', async (t) => {
  const context = await newContext(browser, 'desktop');
  t.after(() => context.close());
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  const page = await context.newPage();
  await page.goto(PAGE_TYPES.article);
  await settle(page);

  const canonical = await page.locator('link[rel=canonical]').getAttribute('href');
  assert.equal(canonical, url(PAGE_TYPES.article), 'canonical is the absolute address of the page');
  assert.equal(
    await page.locator('meta[property="og:url"]').getAttribute('content'),
    canonical,
    'og:url is the canonical URL',
  );

  const links = await page.locator('.share a').evaluateAll((as) =>
    as.map((a) => ({ text: a.textContent.trim(), href: a.getAttribute('href'), target: a.target, rel: a.rel })),
  );
  checkShareLinks(links, canonical, PAGE_TYPES.article);
  for (const link of links.filter((l) => l.target === '_blank')) {
    assert.match(link.rel, /\bnoopener\b/, `${link.text} opens a new tab with rel=noopener`);
  }

  // With JavaScript, "Salin tautan" copies the address instead of navigating.
  const copy = page.locator('.share a[data-copy]');
  await copy.click();
  assert.equal(page.url(), url(PAGE_TYPES.article), 'Salin tautan does not navigate when JS runs');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), canonical);
});

test('every article: share links carry that article\'s canonical URL', async () => {
  const articles = await allArticles();
  assert.ok(articles.length > 0, 'the demo site has articles');
  for (const article of articles) {
    const res = await fetch(url(article.url));
    assert.equal(res.status, 200, `${article.url} answers 200`);
    const html = await res.text();
    const canonical = html.match(/<link rel="canonical" href="([^"]+)">/)?.[1];
    assert.equal(canonical, url(article.url), `${article.url}: canonical link`);
    const share = html.match(/<section class="share"[\s\S]*?<\/section>/)?.[0];
    assert.ok(share, `${article.url}: has a share section`);
    const links = [...share.matchAll(/<a [^>]*href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map((m) => ({
      href: m[1].replaceAll('&#38;', '&').replaceAll('&amp;', '&'),
      text: m[2].trim(),
    }));
    checkShareLinks(links, canonical, article.url);
  }
});
