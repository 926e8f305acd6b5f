// A reader's walk through the site, on a phone and on a desktop, by clicking real links:
// home -> section (navigation) -> article -> "Baca juga" -> tag -> article -> author.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { allArticles, launch, newContext, pathOf, settle, url, VIEWPORTS } from '../lib/harness.mjs';

const SECTION = 'Olahraga';

/** Text of the page's only h1, whitespace collapsed. */
async function h1(page) {
  const heading = page.locator('h1');
  assert.equal(await heading.count(), 1, `${page.url()} must have exactly one h1`);
  return (await heading.innerText()).replace(/\s+/g, ' ').trim();
}

/** Click a link as a reader would and wait for the page it leads to. */
async function follow(page, link, what) {
  await link.scrollIntoViewIfNeeded();
  assert.ok(await link.isVisible(), `${what} must be visible`);
  const href = await link.getAttribute('href');
  const text = (await link.innerText()).replace(/\s+/g, ' ').trim();
  const target = url(href);
  await link.click();
  await page.waitForURL(target);
  await settle(page);
  return { href: pathOf(target), text };
}

let browser;
let articles;
before(async () => {
  browser = await launch();
  articles = await allArticles();
});
after(async () => {
  await browser?.close();
});

for (const viewport of Object.keys(VIEWPORTS)) {
  describe(`reader flow on ${viewport}`, () => {
    test('home -> section -> article -> Baca juga -> tag -> author', async (t) => {
      const context = await newContext(browser, viewport);
      const page = await context.newPage();
      // Everything a reader would notice going wrong along the way.
      const problems = [];
      page.on('pageerror', (err) => problems.push(`script error: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
      });
      page.on('response', (res) => {
        if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
      });
      t.after(() => context.close());

      // The article we will reach from the section page: the newest one in SECTION
      // that has a "Baca juga" link to another article.
      const start = articles.find(
        (a) => a.section === SECTION && (a.related || []).some((r) => r.url),
      );
      assert.ok(start, `the demo site needs an article in ${SECTION} with a Baca juga link`);

      // Home.
      const home = await page.goto('/');
      assert.equal(home.status(), 200);
      await settle(page);
      const siteName = (await page.locator('.brand').innerText()).trim();
      assert.equal(await h1(page), siteName, 'home h1 is the site name');
      assert.ok(await page.locator('.lead h3 a').isVisible(), 'home shows a lead story');
      const nav = page.getByRole('navigation', { name: 'Navigasi utama' });

      // Section, from the main navigation.
      const section = await follow(
        page,
        nav.getByRole('link', { name: SECTION, exact: true }),
        `navigation link ${SECTION}`,
      );
      assert.equal(section.href, '/kanal/olahraga');
      assert.equal(await h1(page), SECTION);
      assert.equal(
        await nav.getByRole('link', { name: SECTION, exact: true }).getAttribute('aria-current'),
        'page',
        'the navigation marks the current section',
      );
      assert.match(await page.title(), new RegExp(SECTION));

      // Article, from the section's list.
      const card = page.locator('main').getByRole('link', { name: start.headline, exact: true });
      assert.equal(await card.count(), 1, `section page lists "${start.headline}"`);
      const first = await follow(page, card, 'article link on the section page');
      assert.equal(first.href, start.url);
      assert.equal(await h1(page), start.headline);
      assert.equal((await page.locator('.story .kicker').innerText()).trim().toLowerCase(), SECTION.toLowerCase());
      assert.ok(await page.locator('.story .body p').first().isVisible(), 'article body is shown');

      // "Baca juga" inline link.
      const bacaJuga = page.locator('.baca-juga a').first();
      const related = await follow(page, bacaJuga, 'Baca juga link');
      const expectedRelated = start.related.find((r) => r.url);
      assert.equal(related.href, expectedRelated.url, 'Baca juga leads to the related article');
      assert.equal(await h1(page), related.text, 'Baca juga link text is the headline it lands on');
      const second = articles.find((a) => a.url === related.href);
      assert.ok(second, `${related.href} is an article in the API`);

      // Tag, from the article's tag list.
      const tagLink = page.locator('.tags a').first();
      const tag = await follow(page, tagLink, 'tag link');
      assert.match(tag.href, /^\/tag\/[a-z0-9-]+$/);
      assert.equal(await h1(page), tag.text);
      assert.ok(second.tags.includes(tag.text), `"${second.headline}" is tagged ${tag.text}`);
      const listed = page.locator(`main .card a[href="${second.url}"]`);
      assert.equal(await listed.count(), 1, `tag page ${tag.href} lists ${second.url}`);

      // Back into the article from the tag page, then its author.
      const back = await follow(page, listed, 'article link on the tag page');
      assert.equal(back.href, second.url);
      assert.equal(await h1(page), second.headline);
      const authorLink = page.locator('.credits a[rel=author]').first();
      const author = await follow(page, authorLink, 'author link');
      assert.match(author.href, /^\/penulis\/[a-z0-9-]+$/);
      assert.equal(await h1(page), author.text);
      assert.ok(
        second.authors.some((a) => a.name === author.text && a.url === author.href),
        `${author.text} is an author of "${second.headline}"`,
      );
      assert.equal(
        await page.locator(`main .card a[href="${second.url}"]`).count(),
        1,
        `author page ${author.href} lists ${second.url}`,
      );

      assert.deepEqual(problems, [], 'no script errors, console errors or failed requests');
    });
  });
}
