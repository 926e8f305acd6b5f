// Breaking news as readers see it: an editor sends an alert from the newsroom and a reader's
// open page shows the banner without reloading; ending the alert takes it away again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext, newsroomEmail, NEWSROOM_PASSWORD, settle, signIn } from '../lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('an alert reaches an open page within seconds and leaves when ended', async (t) => {
  const readerContext = await newContext(browser, 'phone');
  const editorContext = await newContext(browser, 'desktop');
  t.after(() => Promise.all([readerContext.close(), editorContext.close()]));
  const reader = await readerContext.newPage();
  await reader.goto('/kanal/olahraga');
  await settle(reader);
  assert.equal(await reader.locator('[data-breaking]').isVisible(), false, 'no alert yet');

  const editor = await editorContext.newPage();
  await signIn(editor, newsroomEmail('editor'), NEWSROOM_PASSWORD);
  await editor.goto('/redaksi/breaking');
  const line = `Gempa M6,2 guncang Maluku Utara ${Date.now()}`;
  await editor.fill('#a-text', line);
  await editor.fill('#a-url', '/kanal/regional');
  await editor.fill('#a-minutes', '10');
  const sent = Date.now();
  await editor.click('form[action="/redaksi/breaking"] button[type=submit]');
  await settle(editor);

  const banner = reader.locator('[data-breaking]');
  await banner.waitFor({ state: 'visible', timeout: 3000 });
  const seenAfter = Date.now() - sent;
  assert.equal((await reader.locator('[data-breaking-text] a').innerText()).trim(), line);
  t.diagnostic(`banner shown ${seenAfter} ms after the editor pressed send`);

  await editor.locator('tr', { hasText: line }).locator('button', { hasText: 'Akhiri' }).click();
  await settle(editor);
  await banner.waitFor({ state: 'hidden', timeout: 3000 });
});
