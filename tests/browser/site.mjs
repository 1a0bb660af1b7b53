// Headless browser test of the example site: home page and footer label,
// site search (站内搜索), the 长辈版 toggle, and axe-core accessibility
// checks of the home, column, article and search pages.
//
//   node tests/browser/site.mjs <built site dir>
//
// Serves the directory on 127.0.0.1 and drives /usr/bin/chromium with
// playwright-core; no request leaves 127.0.0.1. Screenshots go to
// target/browser-artifacts/ (BROWSER_ARTIFACTS).

import { readFile, stat, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { serve, fence, launchOptions, check } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] ?? '');
const artifacts = path.resolve(
  process.env.BROWSER_ARTIFACTS ?? path.join(here, '..', '..', 'target', 'browser-artifacts'),
);
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const QUERY = '安全生产';
const EXPECTED = '示例区召开2026年第四季度安全生产工作会议';
const ARTICLE = '/news/2026-11-18-anquan-shengchan-huiyi/';
const OTHER_ARTICLE = '/news/2026-11-10-jiuye-yuanzhu-zhaopinhui/';
const COLUMN = '/news/';

const shot = (page, name, opts = {}) => page.screenshot({ path: path.join(artifacts, name), ...opts });

/** search.js splits text exactly as the Rust tokenizer (shared cases). */
async function tokenizerCases(page, origin) {
  const cases = JSON.parse(await readFile(path.join(here, '..', 'fixtures', 'search', 'tokenize.json'), 'utf8'));
  await page.goto(`${origin}/search/`);
  const bad = await page.evaluate((c) => {
    const s = window.sanshenSearch;
    const out = [];
    for (const [text, want] of c.tokenize) {
      const got = s.tokenize(text);
      if (JSON.stringify(got) !== JSON.stringify(want)) out.push(`${text}: ${JSON.stringify(got)}`);
    }
    for (const [text, want] of c.fnv1a) {
      if (s.fnv1a(text) !== want) out.push(`fnv1a(${text}) = ${s.fnv1a(text)}`);
    }
    return out;
  }, cases);
  check(bad.length === 0, `search.js 与 Rust 分词不一致：\n${bad.join('\n')}`);
  console.log(`分词：search.js 与 Rust 在 ${cases.tokenize.length} 个用例上一致`);
}

async function homePage(page, origin) {
  await page.goto(`${origin}/`);
  check((await page.getAttribute('html', 'lang')) === 'zh-CN', 'html 应有 lang="zh-CN"');
  const label = page.locator('footer .gov-label img');
  await label.scrollIntoViewIfNeeded();
  check(await label.isVisible(), '页脚应显示党政机关网站标识');
  check((await label.getAttribute('alt')) === '党政机关网站标识', '标识图片应有替代文字');
  check(await label.evaluate((img) => img.complete && img.naturalWidth > 0), '标识图片应能加载');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'home.png');
  console.log('首页：页脚有党政机关网站标识');
}

async function search(page, origin) {
  await page.goto(`${origin}${COLUMN}`);
  const input = page.locator('#site-search-q');
  await input.fill(QUERY);
  await input.press('Enter');
  await page.waitForURL((u) => u.pathname === '/search/' && u.searchParams.get('q') === QUERY);
  const status = page.locator('#search-status');
  await page.waitForFunction(() => /找到 \d+ 条结果/.test(document.getElementById('search-status')?.textContent ?? ''));
  const first = page.locator('#search-results > li').first();
  const title = (await first.locator('h2 a').innerText()).trim();
  check(title === EXPECTED, `第一条结果应为「${EXPECTED}」，实际「${title}」`);
  check((await first.locator('h2 a').getAttribute('href')) === ARTICLE, '第一条结果应链接到该文章');
  const marks = await first.locator('.search-result-snippet mark').allInnerTexts();
  check(marks.some((m) => m.includes(QUERY)), `摘要应以 <mark> 标出「${QUERY}」，实际：${marks.join('|')}`);
  check((await page.inputValue('#search-q')) === QUERY, '搜索页的输入框应填入查询词');
  console.log(`搜索「${QUERY}」：${await status.innerText()}，第一条「${title}」`);
  await shot(page, 'search-results.png', { fullPage: true });

  // Keyboard: from the page's search box, Tab reaches the first result.
  await page.focus('#search-q');
  let onResult = false;
  for (let i = 0; i < 6 && !onResult; i++) {
    await page.keyboard.press('Tab');
    onResult = await page.evaluate(() => !!document.activeElement?.closest('#search-results'));
  }
  check(onResult, '用 Tab 键应能从搜索框到达搜索结果');

  await page.goto(`${origin}/search/?q=${encodeURIComponent('查无此词语zzqx')}`);
  await page.waitForFunction(() => (document.getElementById('search-status')?.textContent ?? '').includes('没有找到相关信息'));
  check(await page.locator('.search-none a[href="/sitemap/"]').isVisible(), '无结果时应提示网站地图');
  console.log('无结果：显示「没有找到相关信息」');
}

const fontSize = (page, sel) =>
  page.locator(sel).first().evaluate((e) => {
    const s = getComputedStyle(e);
    return { size: parseFloat(s.fontSize), line: parseFloat(s.lineHeight) / parseFloat(s.fontSize) };
  });

async function elder(page, origin) {
  await page.goto(`${origin}${ARTICLE}`);
  const toggle = page.locator('#elder-toggle');
  check(await toggle.isVisible(), '有 JavaScript 时应显示「长辈版」按钮');
  check((await toggle.getAttribute('aria-pressed')) === 'false', '默认应为标准版');
  const before = await fontSize(page, '.article-body p');
  await toggle.click();
  check((await toggle.getAttribute('aria-pressed')) === 'true', '点击后 aria-pressed 应为 true');
  const after = await fontSize(page, '.article-body p');
  check(after.size > before.size && after.size >= 20, `长辈版应放大正文：${before.size}px → ${after.size}px`);
  check(after.line >= 1.8, `长辈版行距应 ≥ 1.8，实际 ${after.line}`);
  const body = await fontSize(page, 'body');
  check(body.size >= 20, `长辈版页面基准字号应 ≥ 20px，实际 ${body.size}`);
  await shot(page, 'elder-article.png');

  // Survives navigation: follow a link in the navigation bar by keyboard.
  await page.locator('.site-nav a', { hasText: '首页' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(`${origin}/`);
  check(await page.evaluate(() => document.documentElement.classList.contains('elder')), '换页后应保持长辈版');
  check((await toggle.getAttribute('aria-pressed')) === 'true', '换页后按钮应保持按下状态');
  check((await fontSize(page, 'body')).size >= 20, '换页后字号应保持放大');
  await shot(page, 'elder-home.png');
  await page.goto(`${origin}${OTHER_ARTICLE}`);
  const other = await fontSize(page, '.article-body p');
  check(other.size === after.size, `另一篇文章也应放大：${other.size}px`);
  console.log(`长辈版：正文 ${before.size}px → ${after.size}px，行距 ${after.line.toFixed(2)}，换页后保持`);
}

/** axe-core on the current page: serious or critical violations. */
async function axe(page, name) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const all = result.violations;
  const bad = all.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const list = (vs) =>
    vs.map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.slice(0, 3).map((n) => `    ${n.target.join(' ')}`).join('\n')}`).join('\n');
  if (all.length) console.log(`axe ${name}：\n${list(all)}`);
  check(bad.length === 0, `axe-core 在${name}发现严重问题：\n${list(bad)}`);
  console.log(`axe ${name}：无 serious/critical 问题（其他 ${all.length} 项）`);
}

async function accessibility(page, origin) {
  const pages = [
    ['首页', '/'],
    ['栏目页', COLUMN],
    ['文章页', ARTICLE],
    ['搜索页', `/search/?q=${encodeURIComponent(QUERY)}`],
  ];
  for (const [name, url] of pages) {
    await page.goto(origin + url);
    if (url.startsWith('/search/')) await page.waitForSelector('#search-results > li');
    await axe(page, name);
  }
  // The same pages in 长辈版 (its colours and sizes).
  await page.evaluate(() => localStorage.setItem('sanshen-elder', '1'));
  for (const [name, url] of pages) {
    await page.goto(origin + url);
    if (url.startsWith('/search/')) await page.waitForSelector('#search-results > li');
    await axe(page, `${name}（长辈版）`);
  }
  await shot(page, 'elder-search.png', { fullPage: true });
  await page.evaluate(() => localStorage.removeItem('sanshen-elder'));
}

async function noScript(browser, origin) {
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  await fence(ctx, origin, []);
  const page = await ctx.newPage();
  await page.goto(`${origin}/search/?q=${encodeURIComponent(QUERY)}`);
  const text = await page.locator('main').innerText();
  check(text.includes('站内搜索需要浏览器启用 JavaScript'), '没有 JavaScript 时应说明搜索需要 JavaScript');
  check(await page.locator('main a[href="/sitemap/"]').isVisible(), '没有 JavaScript 时应链接到网站地图');
  check(!(await page.locator('#elder-toggle').isVisible()), '没有 JavaScript 时不显示长辈版按钮');
  await ctx.close();
  console.log('没有 JavaScript：搜索页提示并链接网站地图，长辈版按钮隐藏');
}

async function main() {
  check(process.argv[2], '用法：node tests/browser/site.mjs <已构建的网站目录>');
  await stat(path.join(root, 'index.html')).catch(() => check(false, `${root} 不是构建好的网站（缺少 index.html）`));
  await mkdir(artifacts, { recursive: true });
  const server = await serve(root);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch(launchOptions);
  try {
    const outside = [];
    const context = await browser.newContext({ viewport: { width: 1280, height: 1600 }, locale: 'zh-CN' });
    await fence(context, origin, outside);
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await tokenizerCases(page, origin);
    await homePage(page, origin);
    await search(page, origin);
    await elder(page, origin);
    await accessibility(page, origin);
    check(errors.length === 0, `页面脚本错误：${errors.join('\n')}`);
    check(outside.length === 0, `页面访问了外部网址：${outside.join(', ')}`);
    await context.close();
    await noScript(browser, origin);
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
