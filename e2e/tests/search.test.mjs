// A reader searches from the masthead with an inflected word, sees highlighted results, and
// follows one to the article, where related reading is offered under the body.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext, settle } from '../lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a reader finds "pengungsi" by searching "mengungsi" and reads on', async (t) => {
  const context = await newContext(browser, 'phone');
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto('/');
  await page.click('.search-link');
  await settle(page);
  await page.fill('#s-q', 'mengungsi');
  await page.click('.search-form button[type=submit]');
  await settle(page);
  assert.match(await page.locator('.search-count').innerText(), /\d+ hasil/);
  const marked = await page.locator('.results mark').allInnerTexts();
  assert.ok(marked.some((m) => /pengungsi/i.test(m)), `highlighted: ${marked.join(', ')}`);
  const first = page.locator('.results h2 a').first();
  const headline = (await first.innerText()).trim();
  await first.click();
  await settle(page);
  assert.equal((await page.locator('h1').innerText()).trim(), headline);
  assert.ok((await page.locator('.read-also a').count()) > 0, 'related reading under the article');

  // A misspelt word gets a suggestion that is one tap away.
  await page.goto('/cari?q=pengungsi%20banjr');
  await page.click('.did-you-mean a');
  await settle(page);
  assert.equal(await page.locator('#s-q').inputValue(), 'pengungsi banjir');
  assert.ok((await page.locator('.results li').count()) > 0);
});
