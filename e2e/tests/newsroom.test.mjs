// The newsroom as an editor and a contributor use it: write an article with a "Baca juga" line,
// publish it and find it on the home page; schedule one with a photo and see it appear when due;
// a contributor gets no publish button; an admin sets the site's tagline.
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

test('an editor writes, previews and publishes; the article reaches the home page', async (t) => {
  const context = await newContext(browser, 'desktop');
  t.after(() => context.close());
  const page = await context.newPage();
  await signIn(page, newsroomEmail('editor'), NEWSROOM_PASSWORD);
  // The newsroom is one click away in the account menu.
  await page.click('.account-menu summary');
  await page.click('.account-menu a[href="/redaksi"]');
  await settle(page);
  await page.click('a[href="/redaksi/tulis"]');
  await settle(page);

  const headline = `Pelabuhan Baru Dibuka ${Date.now()}`;
  const related = 'Rupiah Menguat Tipis Seiring Meredanya Tekanan Dolar Amerika Serikat';
  await page.fill('#f-headline', headline);
  await page.fill('#f-body', 'Pelabuhan dibuka pagi ini.');
  // The picker finds the stored article and inserts its exact "Baca juga" line at the cursor.
  await page.locator('#f-body').evaluate((el) => el.setSelectionRange(el.value.length, el.value.length));
  await page.fill('#picker-q', 'rupiah menguat');
  await page.locator('.picker-results button', { hasText: related }).click();
  await page.locator('#f-body').evaluate((el) => { el.value += 'Kapal pertama bersandar siang.'; });
  assert.match(await page.locator('#f-body').inputValue(), new RegExp(`\\n\\nBaca juga: ${related}\\n\\n`));
  await page.fill('#f-section', 'Ekonomi');
  await page.fill('#f-tags', 'Pelabuhan, Logistik');
  await page.fill('#f-dateline', 'SURABAYA');

  // The live preview follows the typing without a reload.
  await page.locator('#f-body').pressSequentially(' *Cerah*.');
  await page.locator('.preview .body em', { hasText: 'Cerah' }).waitFor({ timeout: 5000 });
  await page.click('button[value=preview]');
  await settle(page);
  assert.match(await page.locator('.preview .body').innerText(), /Pelabuhan dibuka pagi ini/);
  assert.equal(await page.locator('#f-headline').inputValue(), headline, 'preview keeps the form');

  await page.click('button[value=publish]');
  await settle(page);
  assert.match(await page.locator('.status-line strong').innerText(), /Terbit/);

  // The page cache notices within a second.
  let found = false;
  for (let i = 0; i < 20 && !found; i++) {
    await page.goto('/');
    found = (await page.locator(`text=${headline}`).count()) > 0;
    if (!found) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(found, 'the article is on the home page');
  await page.click(`text=${headline}`);
  await settle(page);
  assert.equal((await page.locator('h1').innerText()).trim(), headline);
  assert.match(await page.locator('.dateline').innerText(), /^SURABAYA, /);
  const link = page.locator('.baca-juga a');
  assert.equal((await link.innerText()).trim(), related, 'the Baca juga line links to the stored article');

  // Take it down again: gone from the home page (which also leaves the page baselines alone).
  await page.goBack();
  await page.goto('/redaksi');
  await page.click(`text=${headline}`);
  await settle(page);
  // Taking it off the site asks first.
  let asked = '';
  page.once('dialog', (dialog) => { asked = dialog.message(); dialog.accept(); });
  await page.click('button[value=unpublish]');
  assert.match(asked, /Tarik artikel ini dari situs/);
  await settle(page);
  assert.match(await page.locator('.status-line strong').innerText(), /Ditarik/);
  let gone = false;
  for (let i = 0; i < 20 && !gone; i++) {
    await page.goto('/');
    gone = (await page.locator(`text=${headline}`).count()) === 0;
    if (!gone) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(gone, 'an unpublished article leaves the home page');
});

test('an editor schedules an article with a photo and a Baca juga line: it appears on the home page when due', async (t) => {
  const context = await newContext(browser, 'desktop');
  t.after(() => context.close());
  const page = await context.newPage();
  await signIn(page, newsroomEmail('editor'), NEWSROOM_PASSWORD);
  await page.goto('/redaksi/tulis');
  const headline = `Jadwal Kapal Lebaran ${Date.now()}`;
  const related = 'Rupiah Menguat Tipis Seiring Meredanya Tekanan Dolar Amerika Serikat';
  await page.fill('#f-headline', headline);
  await page.fill('#f-body', `Jadwal kapal diumumkan pagi ini.\n\nBaca juga: ${related}\n\nTiket dijual mulai pekan depan.`);
  // A photo drawn by the browser itself, attached like a file from the phone.
  const jpeg = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 1200;
    canvas.height = 800;
    const g = canvas.getContext('2d');
    const gradient = g.createLinearGradient(0, 0, 1200, 800);
    gradient.addColorStop(0, '#0b4f8a');
    gradient.addColorStop(1, '#f2b134');
    g.fillStyle = gradient;
    g.fillRect(0, 0, 1200, 800);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  });
  await page.setInputFiles('#f-hero_file', { name: 'pelabuhan.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(jpeg) });
  await page.fill('#f-hero_caption', 'Kapal bersandar di pelabuhan.');
  await page.fill('#f-hero_credit', 'Redaksi');
  // Due in 15 seconds, in the site's zone (WIB, UTC+7).
  const due = new Date(Date.now() + 15_000 + 7 * 3600 * 1000).toISOString().slice(0, 19);
  await page.fill('#f-published_at', due);
  await page.click('button[value=publish]');
  await settle(page);
  assert.equal((await page.locator('.status-line strong').innerText()).trim(), 'Terjadwal');
  assert.equal(await page.locator('img.hero-preview').count(), 1, 'the editor shows the uploaded photo');
  await page.goto('/');
  assert.equal(await page.locator(`text=${headline}`).count(), 0, 'not before its time');

  let found = false;
  for (let i = 0; i < 80 && !found; i++) {
    await new Promise((r) => setTimeout(r, 500));
    await page.goto('/');
    found = (await page.locator(`text=${headline}`).count()) > 0;
  }
  assert.ok(found, 'the scheduled article reaches the home page when due');
  await page.click(`text=${headline}`);
  await settle(page);
  const photo = page.locator('.hero img');
  assert.ok(await photo.evaluate((img) => img.complete && img.naturalWidth > 0), 'the photo loads');
  assert.match(await photo.getAttribute('srcset'), /\/media\/[0-9a-f]{24}\/320\.jpg 320w/);
  assert.equal((await page.locator('.baca-juga a').innerText()).trim(), related);

  // Take it down again so the page baselines stay as they are.
  await page.goto('/redaksi');
  await page.click(`text=${headline}`);
  await settle(page);
  page.once('dialog', (dialog) => dialog.accept());
  await page.click('button[value=unpublish]');
  await settle(page);
  assert.match(await page.locator('.status-line strong').innerText(), /Ditarik/);
});

test('a contributor can submit for review but has no publish button, and cannot publish by hand', async (t) => {
  const context = await newContext(browser, 'phone');
  t.after(() => context.close());
  const page = await context.newPage();
  await signIn(page, newsroomEmail('contributor'), NEWSROOM_PASSWORD);
  await page.goto('/redaksi/tulis');
  await page.fill('#f-headline', `Usulan Liputan ${Date.now()}`);
  await page.fill('#f-body', 'Isi usulan.');
  assert.equal(await page.locator('button[value=publish]').count(), 0, 'no publish button');
  await page.click('button[value=submit]');
  await settle(page);
  assert.match(await page.locator('.status-line strong').innerText(), /review/);

  // A forged publish from the contributor's own session is refused.
  const action = await page.locator('form[action^="/redaksi/artikel/"]').getAttribute('action');
  const csrf = await page.locator('input[name=csrf]').first().inputValue();
  const version = await page.locator('input[name=version]').inputValue();
  const response = await page.request.post(action, {
    form: { csrf, version, action: 'publish', headline: 'Paksa Terbit', body: 'x' },
    maxRedirects: 0,
  });
  assert.equal(response.status(), 403);
});

test('an admin describes the site in one line: refused when too long, then on the home page', async (t) => {
  const context = await newContext(browser, 'desktop');
  t.after(() => context.close());
  const page = await context.newPage();
  await signIn(page, newsroomEmail('admin'), NEWSROOM_PASSWORD);
  await page.goto('/redaksi/situs');
  await settle(page);
  const before = await page.locator('#f-tagline').inputValue();

  // The field allows 160 characters; a longer line typed past the limit is refused and kept.
  const long = 'Panjang '.repeat(21);
  await page.locator('#f-tagline').evaluate((el, v) => { el.removeAttribute('maxlength'); el.value = v; }, long);
  await page.click('main button[type=submit]');
  await settle(page);
  assert.equal((await page.locator('#e-tagline').innerText()).trim(), 'paling banyak 160 karakter');
  assert.equal(await page.locator('#f-tagline').inputValue(), long);

  const tagline = `Kabar pesisir dan pedalaman ${Date.now()}`;
  await page.fill('#f-tagline', tagline);
  await page.click('main button[type=submit]');
  await settle(page);
  assert.match(await page.locator('.notice').innerText(), /tersimpan/);
  await page.goto('/');
  assert.equal(await page.locator('meta[name=description]').getAttribute('content'), tagline);

  // Leave the shared server's site as it was for the other tests.
  await page.goto('/redaksi/situs');
  await page.fill('#f-tagline', before);
  await page.click('main button[type=submit]');
  await settle(page);
});
