// Newsletters as a reader and an editor use them: a reader signs up from the footer link (a
// refused form keeps what was typed and ticked), confirms from the mail, an editor drafts a daily
// digest, edits its subject and sends it, the reader gets it and leaves from its link.
//
// The mails are read from the site's outbox (no SMTP server is configured in these tests):
// run.sh sets WARTA_OUTBOX to it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getJson, launch, newContext, newsroomEmail, NEWSROOM_PASSWORD, pathOf, settle, signIn } from '../lib/harness.mjs';

const OUTBOX = process.env.WARTA_OUTBOX;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The newest mail to `to` whose text matches `pattern`, waiting up to 15 s for it. */
async function mailTo(to, pattern) {
  for (let i = 0; i < 75; i++) {
    const names = (await readdir(OUTBOX).catch(() => [])).filter((n) => n.endsWith(`-${to}.eml`)).sort().reverse();
    for (const name of names) {
      const text = await readFile(join(OUTBOX, name), 'utf8');
      if (pattern.test(text)) return text;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no mail to ${to} matching ${pattern} in ${OUTBOX}`);
}

test('a reader signs up and confirms, an editor sends a digest, the reader leaves', { skip: !OUTBOX && 'WARTA_OUTBOX is not set (the server was started outside run.sh)' }, async (t) => {
  const email = `pelanggan-${Date.now()}@contoh.id`;

  // The reader, on a phone: the footer link, a mistyped address, then the right one.
  const readerContext = await newContext(browser, 'phone');
  t.after(() => readerContext.close());
  const reader = await readerContext.newPage();
  await reader.goto('/');
  await reader.click('footer a[href="/buletin"]');
  await settle(reader);
  assert.equal(await reader.locator('h1').innerText(), 'Berita lewat surel');
  // Nothing to receive ticked: refused, with the address and the ticked section kept.
  const section = reader.locator('input[name=kanal]').first();
  await reader.fill('#n-email', email);
  await reader.uncheck('#n-daily');
  await section.check();
  await reader.click('button[type=submit]');
  await settle(reader);
  assert.equal(await reader.locator('#e-daftar').innerText(), 'Pilih paling sedikit satu jenis surel.');
  assert.equal(await reader.locator('#n-email').inputValue(), email, 'typed address kept');
  assert.ok(!(await reader.locator('#n-daily').isChecked()), 'the unticked list stays unticked');
  assert.ok(await section.isChecked(), 'ticked section kept');
  await section.uncheck();
  await reader.fill('#n-email', 'bukan-alamat');
  await reader.check('#n-daily');
  await reader.click('button[type=submit]');
  await settle(reader);
  assert.match(await reader.locator('#e-email').innerText(), /alamat surel yang valid/);
  assert.equal(await reader.locator('#n-email').getAttribute('aria-invalid'), 'true');
  assert.equal(await reader.locator('#n-email').inputValue(), 'bukan-alamat', 'typed address kept');
  assert.ok(await reader.locator('#n-daily').isChecked(), 'ticked list kept');
  await reader.fill('#n-email', email);
  await reader.click('button[type=submit]');
  await settle(reader);
  assert.equal(await reader.locator('h1').innerText(), 'Periksa kotak masuk Anda');

  const confirmation = await mailTo(email, /\/buletin\/konfirmasi\?token=/);
  const confirmLink = confirmation.match(/https?:\/\/\S+\/buletin\/konfirmasi\?token=\S+/)[0];
  await reader.goto(pathOf(confirmLink));
  await settle(reader);
  assert.equal(await reader.locator('h1').innerText(), 'Langganan aktif');

  // The editor: the desk counts the confirmed reader; a daily digest for every section.
  const editorContext = await newContext(browser, 'desktop');
  t.after(() => editorContext.close());
  const editor = await editorContext.newPage();
  await signIn(editor, newsroomEmail('editor'), NEWSROOM_PASSWORD);
  await editor.goto('/redaksi/buletin');
  await settle(editor);
  await editor.selectOption('#b-list', 'daily');
  await editor.selectOption('#b-section', '');
  await editor.click('form[action="/redaksi/buletin"] button[type=submit]');
  await settle(editor);
  assert.match(new URL(editor.url()).pathname, /^\/redaksi\/buletin\/\d+$/);

  // The editor picks three articles by number (the demo's are older than a day, so the
  // drafted digest may be empty); an empty subject is refused and the picked numbers are kept.
  const picked = (await getJson('/api/v1/articles?limit=3')).items;
  const ids = picked.map((a) => a.id).reverse().join(', ');
  const headlines = picked.map((a) => a.headline).reverse();
  await editor.fill('#m-ids', ids);
  await editor.fill('#m-subject', '');
  await editor.click('button[value=save]');
  await settle(editor);
  assert.match(await editor.locator('.form-error').innerText(), /^Judul surel:/);
  assert.equal(await editor.locator('#m-ids').inputValue(), ids);
  const subject = `Ringkasan pagi uji ${Date.now()}`;
  await editor.fill('#m-subject', subject);
  await editor.click('button[value=save]');
  await settle(editor);
  assert.deepEqual(await editor.locator('section.desk ol li a').allInnerTexts(), headlines);
  await editor.click('button[value=send]');
  await settle(editor);
  assert.equal(await editor.locator('h1').innerText(), subject);
  assert.equal(await editor.locator('button[value=send]').count(), 0, 'a sent mailing is no longer editable');

  // The digest reaches the reader with the articles in order and a way out.
  const digest = await mailTo(email, new RegExp(`^Subject: ${subject}`, 'm'));
  let from = 0;
  for (const headline of headlines) {
    const at = digest.indexOf(headline, from);
    assert.ok(at >= 0, `"${headline}" in the digest, after the one before`);
    from = at;
  }
  const webLink = digest.match(/Versi web: (\S+)/)[1];
  await reader.goto(pathOf(webLink));
  await settle(reader);
  assert.equal(await reader.locator('h1').innerText(), subject);

  const leaveLink = digest.match(/Berhenti berlangganan: (\S+)/)[1];
  await reader.goto(pathOf(leaveLink));
  await settle(reader);
  assert.equal(await reader.locator('h1').innerText(), 'Berhenti berlangganan');
  await reader.click('button[type=submit]');
  await settle(reader);
  assert.match(await reader.locator('main').innerText(), /tidak lagi menerima Ringkasan harian/i);

  // The next daily digest goes out without them: once nothing of it waits to be sent, no
  // mail of it is in their box.
  await editor.goto('/redaksi/buletin');
  await editor.selectOption('#b-list', 'daily');
  await editor.click('form[action="/redaksi/buletin"] button[type=submit]');
  await settle(editor);
  const second = `Ringkasan kedua ${Date.now()}`;
  await editor.fill('#m-subject', second);
  await editor.click('button[value=send]');
  await settle(editor);
  for (let i = 0; i < 75 && /pending|sending/.test(await editor.locator('section.desk').innerText()); i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    await editor.reload();
  }
  assert.doesNotMatch(await editor.locator('section.desk').innerText(), /pending|sending/);
  const names = (await readdir(OUTBOX)).filter((n) => n.endsWith(`-${email}.eml`));
  for (const name of names) {
    assert.doesNotMatch(await readFile(join(OUTBOX, name), 'utf8'), new RegExp(`^Subject: ${second}`, 'm'));
  }
});
