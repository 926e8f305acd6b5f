// Comments as readers use them, without and with JavaScript: a reader posts a comment with
// markup in it (it shows as text and runs nothing), another replies through the "Balas" box,
// the author deletes the comment (its place stays for the reply) and the reply's author deletes
// the reply (which takes the place too and keeps the page baselines as they are).
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

const PAYLOADS = [
  `<img src=x onerror="document.title='pwned'">`,
  `<script>document.title='pwned'</script>`,
  `"><svg onload="document.title='pwned'">`,
  `javascript:document.title='pwned'`,
];

test('a reader comments, markup stays text, another replies, the author deletes', async (t) => {
  const readerContext = await newContext(browser, 'phone');
  const editorContext = await newContext(browser, 'desktop');
  t.after(() => Promise.all([readerContext.close(), editorContext.close()]));
  const reader = await readerContext.newPage();
  const dialogs = [];
  reader.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });

  await reader.goto('/kanal/sains');
  const article = await reader.locator('main article.card h2 a, main article.card h3 a').first().getAttribute('href');
  await signIn(reader, newsroomEmail('contributor'), NEWSROOM_PASSWORD);
  await reader.goto(article);
  await settle(reader);
  const title = await reader.title();
  const text = `Komentar uji ${Date.now()}\n${PAYLOADS.join('\n')}`;
  await reader.fill('#komentar-baru', text);
  await reader.click('.comment-form button[type=submit]');
  await settle(reader);
  const mine = reader.locator('.comment', { hasText: 'Komentar uji' }).first();
  await mine.waitFor();
  assert.equal(await reader.title(), title, 'no payload ran');
  assert.deepEqual(dialogs, []);
  const shown = await mine.locator('.comment-text').first().innerText();
  for (const payload of PAYLOADS) assert.ok(shown.includes(payload), `shown as text: ${payload}`);
  assert.equal(await mine.locator('.comment-text img, .comment-text script, .comment-text svg').count(), 0);
  const id = (await mine.getAttribute('id')).replace('komentar-', '');

  // Another reader answers through the "Balas" box.
  const editor = await editorContext.newPage();
  await signIn(editor, newsroomEmail('editor'), NEWSROOM_PASSWORD);
  await editor.goto(article);
  await editor.locator(`#komentar-${id} summary`, { hasText: 'Balas' }).click();
  await editor.fill(`#balas-${id}`, 'Balasan dari redaksi.');
  await editor.locator(`#komentar-${id} .reply button[type=submit]`).click();
  await settle(editor);
  await editor.locator(`#komentar-${id} .comment-reply`, { hasText: 'Balasan dari redaksi.' }).waitFor();

  // The author deletes the comment; its place stays for the other reader's reply.
  await reader.reload();
  await reader.locator(`#komentar-${id} > .comment-actions button`, { hasText: 'Hapus' }).click();
  await settle(reader);
  const placeholder = reader.locator(`#komentar-${id}`);
  await placeholder.locator('.comment-deleted', { hasText: 'Komentar ini telah dihapus.' }).waitFor();
  assert.ok(!(await placeholder.innerText()).includes('Komentar uji'), 'the text is gone');
  assert.equal(await placeholder.locator('summary', { hasText: 'Balas' }).count(), 0, 'no replies to it');
  assert.equal(await placeholder.locator('.comment-reply', { hasText: 'Balasan dari redaksi.' }).count(), 1);

  // The reply's author deletes it too: the placeholder goes with it.
  await editor.reload();
  await editor
    .locator(`#komentar-${id} .comment-reply`, { hasText: 'Balasan dari redaksi.' })
    .locator('button', { hasText: 'Hapus' })
    .click();
  await settle(editor);
  await reader.reload();
  assert.equal(await reader.locator(`#komentar-${id}`).count(), 0);
});
