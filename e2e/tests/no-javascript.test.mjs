// With JavaScript off, every page still reads and every link still works.
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

for (const viewport of Object.keys(VIEWPORTS)) {
  test(`JavaScript disabled on ${viewport}: article body, navigation and links work`, async (t) => {
    const context = await newContext(browser, viewport, { javaScriptEnabled: false });
    t.after(() => context.close());
    const page = await context.newPage();

    await page.goto(PAGE_TYPES.article);
    await settle(page);

    // The article reads in full.
    const h1 = page.locator('h1');
    assert.ok(await h1.isVisible(), 'article headline is visible');
    const paragraphs = page.locator('.story .body p');
    assert.ok((await paragraphs.count()) >= 3, 'article body has its paragraphs');
    assert.ok(await paragraphs.first().isVisible(), 'article body is visible');
    const bodyText = await page.locator('.story .body').innerText();
    assert.ok(bodyText.length > 500, `article body has its text (${bodyText.length} chars)`);
    assert.ok(await page.locator('.tags a').first().isVisible(), 'tags are visible');
    assert.ok(await page.locator('.share a').first().isVisible(), 'share links are visible');

    // Navigation is there and visible.
    const nav = page.getByRole('navigation', { name: 'Navigasi utama' });
    const navLinks = nav.getByRole('link');
    assert.ok((await navLinks.count()) >= 5, 'main navigation lists the sections');
    const first = navLinks.first();
    await first.scrollIntoViewIfNeeded();
    assert.ok(await first.isVisible(), 'navigation links are visible');

    // Without JS, "Salin tautan" is a plain link to the canonical address (with JS it would
    // copy instead of navigating, so this also proves scripts are really off here).
    const copy = page.locator('.share a[data-copy]');
    const canonical = await page.locator('link[rel=canonical]').getAttribute('href');
    await copy.click();
    await page.waitForURL(canonical);
    assert.equal(page.url(), url(PAGE_TYPES.article), 'Salin tautan leads to the article itself');

    // A navigation link, then an article from the section list, all without scripts.
    const sectionName = (await first.innerText()).trim();
    const sectionHref = await first.getAttribute('href');
    await first.click();
    await page.waitForURL(url(sectionHref));
    assert.equal((await page.locator('h1').innerText()).trim(), sectionName);
    const card = page.locator('main .card h2 a').first();
    const headline = (await card.innerText()).trim();
    const href = await card.getAttribute('href');
    await card.click();
    await page.waitForURL(url(href));
    assert.equal((await page.locator('h1').innerText()).trim(), headline);
    assert.ok(await page.locator('.story .body p').first().isVisible(), 'that article body is visible too');

    // Home shows its stories.
    await page.locator('.brand').click();
    await page.waitForURL(url('/'));
    assert.ok(await page.locator('.lead').isVisible(), 'home lead story is visible');
    assert.ok((await page.locator('main .card').count()) > 5, 'home lists stories');
  });
}

test('JavaScript disabled: every page kind renders its main content', async (t) => {
  const context = await newContext(browser, 'phone', { javaScriptEnabled: false });
  t.after(() => context.close());
  const page = await context.newPage();
  for (const [kind, path] of Object.entries(PAGE_TYPES)) {
    const res = await page.goto(path);
    assert.equal(res.status(), kind === 'notfound' ? 404 : 200, `${kind} ${path}`);
    assert.ok(await page.locator('main h1').isVisible() || kind === 'home', `${kind}: h1 visible`);
    assert.ok(
      (await page.locator('main').innerText()).trim().length > 20,
      `${kind}: main has content`,
    );
  }
});
