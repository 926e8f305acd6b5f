// The 404 page: the right status, a heading, and a way home.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext, PAGE_TYPES, settle, url, VIEWPORTS } from '../lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const UNKNOWN = [
  PAGE_TYPES.notfound,
  '/kanal/tidak-ada-kanal-ini',
  '/tag/tidak-ada-tag-ini',
  '/penulis/tidak-ada-penulis-ini',
  '/read/2026/11/20/tidak-ada-artikel-ini',
];

for (const path of UNKNOWN) {
  test(`${path} answers 404 with the error page`, async () => {
    const res = await fetch(url(path));
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') || '', /^text\/html/);
    const html = await res.text();
    assert.match(html, /<h1>[^<]+<\/h1>/, 'has an h1');
    assert.match(html, /<a href="\/">[^<]+<\/a>/, 'links home');
  });
}

for (const viewport of Object.keys(VIEWPORTS)) {
  test(`404 page on ${viewport}: status, h1, link home that works`, async (t) => {
    const context = await newContext(browser, viewport);
    t.after(() => context.close());
    const page = await context.newPage();
    const res = await page.goto(PAGE_TYPES.notfound);
    assert.equal(res.status(), 404);
    await settle(page);
    const h1 = page.locator('h1');
    assert.equal(await h1.count(), 1, 'exactly one h1');
    assert.ok(await h1.isVisible());
    assert.ok((await h1.innerText()).trim().length > 0, 'h1 has text');
    assert.match(await page.title(), /\S/, 'has a title');
    const robots = await page.locator('meta[name=robots]').getAttribute('content').catch(() => null);
    assert.match(robots || '', /noindex/, 'error pages are not indexed');
    // The "back home" link in the page body (not the masthead brand).
    const home = page.locator('main a[href="/"]');
    assert.equal(await home.count(), 1, 'main has a link home');
    await home.click();
    await page.waitForURL(url('/'));
    assert.equal(new URL(page.url()).pathname, '/');
    assert.ok(await page.locator('.lead').isVisible(), 'landed on the home page');
  });
}
