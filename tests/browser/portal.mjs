// Headless browser test of the portal (issue 14): axe-core on the home,
// column, article and search pages at 1280 px and 390 px, in the standard
// version and in 长辈版; the phone layout (wrapping titles, keyboard table
// regions, the navigation cue, one search box); the 长辈版 tools (朗读 with
// its off switch, 高对比度, 大鼠标, one column, codes unbroken) remembered
// across pages; the article tool row 【字体：大 中 小】【打印】 and the print
// stylesheet.
//
//   node tests/browser/portal.mjs <built site dir>
//
// Serves the directory on 127.0.0.1 and drives /usr/bin/chromium with
// playwright-core; no request leaves 127.0.0.1. Screenshots of the phone
// and 长辈版 pages go to docs/images/ (PORTAL_SCREENSHOTS) for the user guide.

import { stat, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { serve, fence, launchOptions, check } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] ?? '');
const shots = path.resolve(process.env.PORTAL_SCREENSHOTS ?? path.join(here, '..', '..', 'docs', 'images'));
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

// An article with a wide table, a chart, a 索引号 and `featured: true`.
const ARTICLE = '/disclosure/2026-10-26-qiansanjidu-zhuyao-jingji-zhibiao/';
const OTHER_ARTICLE = '/news/2026-11-18-anquan-shengchan-huiyi/';
const COLUMN = '/news/';
const SEARCH = `/search/?q=${encodeURIComponent('安全生产')}`;
const PAGES = [
  ['首页', '/'],
  ['栏目页', COLUMN],
  ['文章页', ARTICLE],
  ['搜索页', SEARCH],
];
const WIDTHS = [1280, 390];

/** Record what 朗读 says: speechSynthesis.speak and cancel are spied on. */
const SPEECH_SPY = () => {
  window.__spoken = [];
  window.__cancelled = 0;
  window.__printed = 0;
  window.print = () => { window.__printed += 1; };
  const s = window.speechSynthesis;
  if (!s) return;
  const speak = s.speak.bind(s);
  const cancel = s.cancel.bind(s);
  s.speak = (u) => { window.__spoken.push({ text: u.text, lang: u.lang }); speak(u); };
  s.cancel = () => { window.__cancelled += 1; cancel(); };
};

async function open(page, origin, url) {
  await page.goto(origin + url);
  if (url.startsWith('/search/')) await page.waitForSelector('#search-results > li');
}

/** axe-core on the current page: no serious or critical violation. */
async function axe(page, name) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const list = bad
    .map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.slice(0, 3).map((n) => `    ${n.target.join(' ')}`).join('\n')}`)
    .join('\n');
  check(bad.length === 0, `axe-core 在${name}发现严重问题：\n${list}`);
  return result.violations.length;
}

async function accessibility(browser, origin) {
  for (const width of WIDTHS) {
    for (const elder of [false, true]) {
      const ctx = await browser.newContext({ viewport: { width, height: 900 }, locale: 'zh-CN' });
      await fence(ctx, origin, []);
      const page = await ctx.newPage();
      if (elder) await ctx.addInitScript(() => localStorage.setItem('sanshen-elder', '1'));
      for (const [name, url] of PAGES) {
        await open(page, origin, url);
        const label = `${name}（${width}px${elder ? '，长辈版' : ''}）`;
        const other = await axe(page, label);
        console.log(`axe ${label}：无 serious/critical 问题（其他 ${other} 项）`);
      }
      await ctx.close();
    }
  }
}

async function phone(browser, origin) {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  await fence(ctx, origin, []);
  const page = await ctx.newPage();
  await page.goto(`${origin}/`);
  check(await page.locator('.nav-cue').isVisible(), '手机上应显示“左右滑动查看全部栏目”的提示');
  check(await page.evaluate(() => document.documentElement.scrollWidth <= 390), '首页不应横向溢出');
  const cut = await page.evaluate(() =>
    [...document.querySelectorAll('.news-list a, .notice-body a, .headline-title a, .focus-thumbs span')]
      .filter((a) => a.scrollWidth > a.clientWidth + 1 || getComputedStyle(a).textOverflow === 'ellipsis')
      .map((a) => a.textContent.trim()),
  );
  check(cut.length === 0, `手机上标题应折行而不是截断：${cut.join('、')}`);
  for (const block of ['#h-focus', '#h-latest', '#h-notices', '#h-services', '#h-interaction', '#h-media']) {
    check(await page.locator(block).count() === 1, `首页应有区块 ${block}`);
  }
  await page.screenshot({ path: path.join(shots, 'phone-home.png') });
  await page.locator('#h-services').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'phone-home-entrances.png') });

  await page.goto(origin + ARTICLE);
  const region = page.locator('.article-body .table-scroll').first();
  check((await region.getAttribute('tabindex')) === '0' && (await region.getAttribute('role')) === 'region', '表格滚动区应可聚焦、role=region');
  check(/表格 1/.test(await region.getAttribute('aria-label')), '表格滚动区应有名称');
  const scrolls = await region.evaluate((e) => e.scrollWidth > e.clientWidth);
  check(scrolls, '宽表格在手机上应在滚动区内横向滚动');
  await region.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  // Keyboard scrolling may be animated: wait (up to 5 s) for it to move.
  const moved = await page
    .waitForFunction((e) => e.scrollLeft > 0, await region.elementHandle(), { timeout: 5000 })
    .then(() => true, () => false);
  check(moved, '用键盘方向键应能横向滚动表格');
  await page.screenshot({ path: path.join(shots, 'phone-article.png') });

  await page.goto(origin + SEARCH);
  await page.waitForSelector('#search-results > li');
  check(await page.locator('input[type="search"]').count() === 1, '搜索页只应有一个搜索框');
  await ctx.close();
  console.log('手机（390px）：标题折行、导航有滑动提示、表格区域可用键盘滚动、搜索页一个搜索框');
}

async function elderTools(browser, origin) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  await fence(ctx, origin, []);
  await ctx.addInitScript(SPEECH_SPY);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(origin + ARTICLE);
  check(!(await page.locator('#elder-bar').isVisible()), '标准版不显示长辈版工具条');
  await page.locator('#elder-toggle').click();
  check(await page.locator('#elder-bar').isVisible(), '长辈版应显示工具条');

  // One column: the sidebar layout and the home blocks stack.
  const cols = (sel) => page.locator(sel).first().evaluate((e) => getComputedStyle(e).gridTemplateColumns.split(' ').length);
  // Figures fill the column.
  const fig = await page.evaluate(() => {
    const img = document.querySelector('.article-body img');
    const body = document.querySelector('.article-body');
    return img ? img.getBoundingClientRect().width / body.clientWidth : 0;
  });
  check(fig > 0.95, `长辈版图表应放大到整栏宽度，实际 ${(fig * 100).toFixed(0)}%`);

  // 朗读: on, it reads what is pointed at in zh-CN; off, it stops and is silent.
  const speech = page.locator('.elder-tool[data-pref="speech"]');
  const hasSpeech = await page.evaluate(() => !!window.speechSynthesis);
  if (hasSpeech) {
    check(await speech.isVisible(), '浏览器支持语音合成时应显示「朗读」');
    await speech.click();
    check((await speech.getAttribute('aria-pressed')) === 'true', '「朗读」按下后 aria-pressed=true');
    await page.locator('.article-title').hover();
    const spoken = await page.evaluate(() => window.__spoken);
    const title = (await page.locator('.article-title').innerText()).trim();
    check(spoken.some((u) => u.lang === 'zh-CN' && u.text.includes(title)), `朗读应以 zh-CN 读出指向的标题：${JSON.stringify(spoken)}`);
    await speech.click();
    check((await speech.getAttribute('aria-pressed')) === 'false', '再按一次「朗读」应关闭');
    check(await page.evaluate(() => window.__cancelled > 0), '关闭朗读时应立即停止');
    const n = await page.evaluate(() => window.__spoken.length);
    await page.locator('.article-meta').hover();
    await page.locator('.article-body p').first().hover();
    check(await page.evaluate((k) => window.__spoken.length === k, n), '关闭后不应再朗读');
    await speech.click();
  }
  // 高对比度 and 大鼠标.
  await page.locator('.elder-tool[data-pref="contrast"]').click();
  await page.locator('.elder-tool[data-pref="cursor"]').click();
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  check(bg === 'rgb(0, 0, 0)', `高对比度应为黑底，实际 ${bg}`);
  const cursor = await page.evaluate(() => getComputedStyle(document.body).cursor);
  check(cursor.includes('url('), `大鼠标应使用放大的指针，实际 ${cursor}`);
  await page.locator('.elder-tool[data-pref="contrast"]').click();

  // 索引号 breaks only after the slash, never inside the code.
  await page.setViewportSize({ width: 390, height: 844 });
  const broken = await page.evaluate(() => {
    const el = document.querySelector('.disclosure-grid .code-token');
    if (!el) return 'no code';
    const text = el.textContent;
    const range = document.createRange();
    const node = [...el.childNodes].filter((n) => n.nodeType === 3);
    const tops = [];
    for (const t of node) {
      for (let i = 0; i < t.length; i++) {
        range.setStart(t, i);
        range.setEnd(t, i + 1);
        tops.push([t.data[i], Math.round(range.getBoundingClientRect().top)]);
      }
    }
    for (let i = 1; i < tops.length; i++) {
      if (tops[i][1] > tops[i - 1][1] && tops[i - 1][0] !== '/') return `${text} 在「${tops[i - 1][0]}${tops[i][0]}」之间断开`;
    }
    return '';
  });
  check(broken === '', `长辈版 390px 索引号不应在编码中间断开：${broken}`);
  await page.screenshot({ path: path.join(shots, 'elder-phone-article.png') });

  // Remembered across pages.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${origin}/`);
  const kept = await page.evaluate(() => ['elder', 'cursor'].every((c) => document.documentElement.classList.contains(c)));
  check(kept, '换页后应保持长辈版与大鼠标');
  check((await cols('.home-top')) === 1 && (await cols('.home-row')) === 1, '长辈版首页应为单栏');
  await page.screenshot({ path: path.join(shots, 'elder-home.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(shots, 'elder-phone-home.png') });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(origin + COLUMN);
  check((await cols('.layout-side')) === 1, '长辈版栏目页应为单栏');
  await page.locator('.elder-tool[data-pref="cursor"]').click();
  await page.locator('#elder-toggle').click();
  check(errors.length === 0, `页面脚本错误：${errors.join('\n')}`);
  await ctx.close();
  console.log(`长辈版：单栏、图表放大、索引号不断开、${hasSpeech ? '朗读可开关、' : ''}高对比度、大鼠标，换页保持`);
}

async function toolRow(browser, origin) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  await fence(ctx, origin, []);
  await ctx.addInitScript(SPEECH_SPY);
  const page = await ctx.newPage();
  await page.goto(origin + ARTICLE);
  const row = page.locator('.article-tools');
  check(await row.isVisible(), '文章页应显示【字体：大 中 小】【打印】');
  const text = (await row.innerText()).replace(/\s+/g, '');
  check(text.includes('【字体：大中小】') && text.includes('【打印】'), `工具条文字：${text}`);
  const size = () => page.locator('.article-body p').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  const medium = await size();
  await row.getByRole('button', { name: '大', exact: true }).click();
  const large = await size();
  check(large > medium, `「大」应放大正文：${medium} → ${large}`);
  await page.goto(origin + OTHER_ARTICLE);
  check((await size()) === large, '字号选择应在另一篇文章保持');
  await page.locator('.article-tools').getByRole('button', { name: '小', exact: true }).click();
  check((await size()) < medium, '「小」应缩小正文');
  await page.locator('.article-tools').getByRole('button', { name: '中', exact: true }).click();
  check((await size()) === medium, '「中」应恢复默认字号');
  await page.locator('.article-tools').getByRole('button', { name: '打印' }).click();
  check(await page.evaluate(() => window.__printed === 1), '「打印」应调用浏览器打印');
  await page.emulateMedia({ media: 'print' });
  for (const sel of ['.article-tools', '.site-nav', '.article-pager', '.site-search']) {
    check(!(await page.locator(sel).first().isVisible()), `打印样式中不应显示 ${sel}`);
  }
  check(await page.locator('.article-body').isVisible(), '打印样式中应显示正文');
  await ctx.close();
  console.log(`文章工具：字号 ${medium}px → 大 ${large}px，换页保持；打印调用 window.print，打印样式只留正文`);
}

async function main() {
  check(process.argv[2], '用法：node tests/browser/portal.mjs <已构建的网站目录>');
  await stat(path.join(root, 'index.html')).catch(() => check(false, `${root} 不是构建好的网站（缺少 index.html）`));
  await mkdir(shots, { recursive: true });
  const server = await serve(root);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch(launchOptions);
  try {
    await phone(browser, origin);
    await elderTools(browser, origin);
    await toolRow(browser, origin);
    await accessibility(browser, origin);
    console.log(`截图：${shots}`);
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((e) => {
  console.error(`浏览器测试失败：${e?.stack ?? e}`);
  process.exit(1);
});
