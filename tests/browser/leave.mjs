// Headless browser test of the leave-site notice (R11) on a built site.
//
//   node tests/browser/leave.mjs <built site dir>
//
// Serves the directory on 127.0.0.1 (random port), drives /usr/bin/chromium
// with playwright-core, and checks: with JavaScript, clicking an external
// link opens an accessible modal dialog (sentence, target, focus inside,
// Tab trapped, Esc closes and returns focus, 放弃 stays on the page,
// 继续访问 goes to the target); without JavaScript, the link lands on the
// static notice /leave/<xx>.html#l-<hash>. Screenshots go to
// target/browser-artifacts/. No request leaves 127.0.0.1: external targets
// are answered by a stub.

import { readFile, readdir, stat, mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { fence, launchOptions, serve } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] ?? '');
const artifacts = path.resolve(
  process.env.BROWSER_ARTIFACTS ?? path.join(here, '..', '..', 'target', 'browser-artifacts'),
);

function fail(message) {
  throw new Error(message);
}

function check(condition, message) {
  if (!condition) fail(message);
}

/** Every index.html under `dir` (not under leave/), sorted. */
async function pages(dir, rel = '') {
  const out = [];
  for (const name of (await readdir(dir)).sort()) {
    const abs = path.join(dir, name);
    const r = rel ? `${rel}/${name}` : name;
    if ((await stat(abs)).isDirectory()) {
      if (r !== 'leave') out.push(...(await pages(abs, r)));
    } else if (name === 'index.html') {
      out.push(r);
    }
  }
  return out;
}

/** The first article page whose body has an external link. */
async function articleWithExternalLink() {
  for (const rel of await pages(root)) {
    const html = await readFile(path.join(root, rel), 'utf8');
    const body = html.split('class="article-body"')[1] ?? '';
    if (body.includes('class="external"')) return '/' + rel.replace(/index\.html$/, '');
  }
  return fail(`${root} 中没有含外部链接的文章页`);
}

// The notice of a target: page /leave/<first 2 hex>.html, section
// #l-<first 64 bits in base32 a-z2-7> of SHA-256(target).
function leavePath(target) {
  const hash = createHash('sha256').update(target).digest();
  let bits = hash.readBigUInt64BE(0);
  let id = '';
  for (let i = 0; i < 13; i++) {
    id += 'abcdefghijklmnopqrstuvwxyz234567'[Number(bits >> 59n)];
    bits = (bits << 5n) & 0xffffffffffffffffn;
  }
  return `/leave/${hash.toString('hex').slice(0, 2)}.html#l-${id}`;
}



async function main() {
  check(process.argv[2], '用法：node tests/browser/leave.mjs <已构建的网站目录>');
  await stat(path.join(root, 'index.html')).catch(() => fail(`${root} 不是构建好的网站（缺少 index.html）`));
  await mkdir(artifacts, { recursive: true });
  const server = await serve(root);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch(launchOptions);
  try {
    const articlePath = await articleWithExternalLink();
    const articleUrl = origin + articlePath;
    console.log(`文章页：${articlePath}`);

    // ---------- With JavaScript ----------
    const outside = [];
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    await fence(context, origin, outside);
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(articleUrl);
    const siteName = await page.getAttribute('meta[name="SiteName"]', 'content');
    const sentence = `您访问的链接即将离开“${siteName}”门户网站，是否继续？`;
    const link = page.locator('.article-body a.external').first();
    const target = await link.getAttribute('data-href');
    check(target, '外部链接缺少 data-href');
    check((await link.getAttribute('href')) === leavePath(target), `href 应为 ${leavePath(target)}`);
    const outsideBefore = outside.length;
    check(outsideBefore === 0, `页面加载了外部资源：${outside.join(', ')}`);

    const dialog = page.locator('#leave-dialog');
    await link.scrollIntoViewIfNeeded();
    await link.click();
    await dialog.waitFor({ state: 'visible' });
    check(await dialog.evaluate((d) => d.open && d.matches(':modal')), '对话框应以模态方式打开');
    const text = await dialog.innerText();
    check(text.includes(sentence), `对话框文字应包含：${sentence}\n实际：${text}`);
    check(text.includes(target), `对话框应显示目标网址 ${target}`);
    const labelled = await dialog.evaluate((d) => document.getElementById(d.getAttribute('aria-labelledby'))?.textContent);
    check(labelled === sentence, `aria-labelledby 应指向提示语，实际：${labelled}`);
    const focusInside = () => page.evaluate(() => !!document.activeElement?.closest('#leave-dialog'));
    check(await focusInside(), '打开后焦点应在对话框内');
    check(
      (await page.evaluate(() => document.activeElement?.textContent?.trim())) === '继续访问',
      '打开后焦点应在“继续访问”上',
    );
    await page.screenshot({ path: path.join(artifacts, 'dialog-open.png') });
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press(i % 2 ? 'Shift+Tab' : 'Tab');
      check(await focusInside(), `按 Tab 后焦点离开了对话框（第 ${i + 1} 次）`);
    }
    await page.keyboard.press('Tab');
    check(await focusInside(), 'Tab 应被限制在对话框内');

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    check(
      await link.evaluate((a) => document.activeElement === a),
      '按 Esc 关闭后焦点应回到原链接',
    );
    check(page.url() === articleUrl, 'Esc 后应停留在原页面');

    // Keyboard activation: Enter on the focused link opens the dialog.
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'visible' });
    await page.getByRole('button', { name: '放弃' }).click();
    await dialog.waitFor({ state: 'hidden' });
    check(page.url() === articleUrl, `“放弃”后应停留在原页面，实际：${page.url()}`);

    await link.click();
    await dialog.waitFor({ state: 'visible' });
    await page.locator('#leave-dialog').getByRole('link', { name: '继续访问' }).click();
    await page.waitForURL((u) => u.href === new URL(target, articleUrl).href);
    check(outside.includes(new URL(target, articleUrl).href), '“继续访问”应前往目标网址');
    check(errors.length === 0, `页面脚本错误：${errors.join('\n')}`);
    console.log('有 JavaScript：对话框、焦点、Tab、Esc、放弃、继续访问 均正常');

    // Footer with the identity block, for a look.
    await page.goto(articleUrl);
    await page.locator('.site-footer').screenshot({ path: path.join(artifacts, 'footer.png') });
    await context.close();

    // ---------- A phone ----------
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    await fence(phone, origin, []);
    const mobile = await phone.newPage();
    await mobile.goto(articleUrl);
    const mlink = mobile.locator('.article-body a.external').first();
    await mlink.scrollIntoViewIfNeeded();
    await mlink.tap();
    await mobile.locator('#leave-dialog').waitFor({ state: 'visible' });
    await mobile.screenshot({ path: path.join(artifacts, 'dialog-phone.png') });
    await phone.close();

    // ---------- Without JavaScript ----------
    const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    await fence(noJs, origin, []);
    const plain = await noJs.newPage();
    plain.setDefaultTimeout(15000);
    await plain.goto(articleUrl);
    await plain.locator('.article-body a.external').first().click();
    await plain.waitForURL(origin + leavePath(target));
    // Only the section the fragment names is shown (CSS :target).
    const h1 = await plain.locator('h1:visible').innerText();
    check(h1 === sentence, `提示页标题应为：${sentence}\n实际：${h1}`);
    check((await plain.locator('main').innerText()).includes(target), '提示页应显示目标网址');
    const go = plain.locator('main').getByRole('link', { name: '继续访问' });
    check((await go.getAttribute('href')) === target, '“继续访问”应链接到目标网址');
    check((await go.getAttribute('rel')) === 'noopener noreferrer', '“继续访问”应带 rel="noopener noreferrer"');
    check(!(await plain.locator('#leave-dialog').isVisible()), '没有 JavaScript 时不应显示对话框');
    await plain.screenshot({ path: path.join(artifacts, 'leave-page-nojs.png'), fullPage: true });
    await noJs.close();
    console.log(`没有 JavaScript：进入 ${leavePath(target)}，提示语与“继续访问”链接正确`);
    console.log(`截图：${artifacts}`);
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((e) => {
  console.error(`浏览器测试失败：${e?.stack ?? e}`);
  process.exit(1);
});
