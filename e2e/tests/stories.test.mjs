// A running story as readers follow it: an editor sets the story up and posts a key event;
// a reader's open story page shows it on top of the timeline and among the key events
// without reloading.
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

test('a live update appears on an open story page within seconds', async (t) => {
  const editorContext = await newContext(browser, 'desktop');
  const readerContext = await newContext(browser, 'phone');
  t.after(() => Promise.all([readerContext.close(), editorContext.close()]));
  const editor = await editorContext.newPage();
  await signIn(editor, newsroomEmail('editor'), NEWSROOM_PASSWORD);
  const stamp = Date.now();
  const slug = `pemilu-terkini-${stamp}`;
  await editor.goto('/redaksi/topik');
  await editor.fill('#s-title', `Pemilu Terkini ${stamp}`);
  await editor.fill('#s-slug', slug);
  await editor.fill('#s-summary', 'Hitung cepat dan hasil resmi, diperbarui sepanjang malam.');
  await editor.click('form[action="/redaksi/topik"] button[type=submit]');
  await settle(editor);
  assert.match(new URL(editor.url()).pathname, /^\/redaksi\/topik\/\d+$/);

  const reader = await readerContext.newPage();
  await reader.goto(`/topik/${slug}`);
  await settle(reader);
  assert.equal(await reader.locator('.timeline li').count(), 0);
  await reader.locator('[data-live-status]').waitFor({ state: 'visible' });

  const line = `KPU mulai rekapitulasi nasional ${stamp}`;
  await editor.fill('#u-body', line);
  await editor.check('#u-key');
  const sent = Date.now();
  await editor.click('form[action$="/kabar"] button[type=submit]');
  await settle(editor);

  const item = reader.locator('.timeline li', { hasText: line });
  await item.waitFor({ state: 'visible', timeout: 3000 });
  t.diagnostic(`update shown ${Date.now() - sent} ms after the editor pressed send`);
  assert.equal((await item.locator('.key-label').textContent()).trim(), 'Penting', 'marked as a key event');
  const id = await item.getAttribute('id');
  assert.match(id, /^kabar-\d+$/);
  assert.equal(await item.locator('a.stamp').getAttribute('href'), `#${id}`);
  // The story had no key event: the list of them appears with this one, linked to it.
  const keyEvents = reader.locator('.key-events li');
  assert.equal(await keyEvents.count(), 1, 'listed under "Peristiwa penting"');
  assert.match(await keyEvents.first().innerText(), new RegExp(line));
  assert.equal(await keyEvents.first().locator('a').getAttribute('href'), `#${id}`);

  // An ordinary update goes on the timeline only.
  const minor = `Relawan mulai menghitung di TPS 12 ${stamp}`;
  await editor.fill('#u-body', minor);
  await editor.uncheck('#u-key');
  await editor.click('form[action$="/kabar"] button[type=submit]');
  await settle(editor);
  await reader.locator('.timeline li', { hasText: minor }).waitFor({ state: 'visible', timeout: 3000 });
  assert.equal(await keyEvents.count(), 1, 'not a key event');
  editor.once('dialog', (dialog) => dialog.accept());
  await editor.locator('tr', { hasText: minor }).getByRole('button', { name: 'Hapus' }).click();
  await settle(editor);
  await reader.locator('.timeline li', { hasText: minor }).waitFor({ state: 'detached', timeout: 3000 });

  // A correction from the desk replaces the text where it stands on the open page.
  const fixed = `KPU memulai rekapitulasi nasional pukul 19.00 ${stamp}`;
  await editor.locator('tr', { hasText: line }).getByRole('link', { name: 'Koreksi' }).click();
  await settle(editor);
  assert.equal(await editor.inputValue('#u-body'), line, 'the form starts from the update');
  assert.ok(await editor.isChecked('#u-key'), 'still a key event');
  await editor.fill('#u-body', fixed);
  await editor.click('form[action$="/kabar"] button[type=submit]');
  await settle(editor);
  const corrected = reader.locator(`#${id}`);
  await corrected.locator('p', { hasText: fixed }).waitFor({ state: 'visible', timeout: 3000 });
  assert.match(await corrected.locator('.edited').innerText(), /^Dikoreksi /);
  assert.equal(await reader.locator('.timeline li').count(), 1, 'replaced, not added');
  assert.match(await keyEvents.first().innerText(), new RegExp(fixed), 'the key event reads the correction');

  // Without JavaScript the same update is on the page at the next load.
  const plain = await browser.newContext({ javaScriptEnabled: false, baseURL: reader.url() });
  t.after(() => plain.close());
  const page = await plain.newPage();
  await page.goto(reader.url());
  assert.equal(await page.locator('.timeline li p').first().innerText(), fixed);

  // An update deleted in the newsroom leaves the open page.
  editor.once('dialog', (dialog) => dialog.accept());
  await editor.locator('tr', { hasText: fixed }).getByRole('button', { name: 'Hapus' }).click();
  await settle(editor);
  await corrected.waitFor({ state: 'detached', timeout: 3000 });
  await reader.locator('.key-events').waitFor({ state: 'detached', timeout: 3000 });
});
