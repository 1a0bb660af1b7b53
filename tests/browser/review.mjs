// One step of the review desk walk (tests/testsuite/browser.rs,
// `desk_walk`): the test starts `sanshen review` for one reviewer and runs
//
//   node tests/browser/review.mjs <step> <desk URL with token> <title> [reason]
//
// with playwright-core and /usr/bin/chromium. Steps:
//   sign     the article is in 「现在可由您签发」; open it, read it, 签发, confirm
//   diff     as sign, but first the queue offers 修改对比: open it, check it
//   withdraw open the article and 撤稿 with the reason
// With REVIEW_SHOTS=<dir>, screenshots of the queue (review-queue.png), the
// article with its panel (review-article.png) and the diff
// (review-diff.png) are written there. Every request stays on 127.0.0.1.

import path from 'node:path';
import { chromium } from 'playwright-core';
import { check, fence, launchOptions } from './lib.mjs';

const [step, url, title, reason] = process.argv.slice(2);
const shots = process.env.REVIEW_SHOTS;
const origin = new URL(url).origin;

async function shot(page, name) {
  if (shots) {
    await page.screenshot({ path: path.join(shots, name), fullPage: false });
    console.log(`截图：${name}`);
  }
}

async function mineSection(page) {
  // The queue's first table: what this reviewer can sign now.
  const text = await page.locator('main').innerText();
  return text.split('其他待审文章')[0];
}

async function openArticle(page) {
  await page.getByRole('link', { name: title, exact: true }).first().click();
  await page.waitForLoadState('load');
  const frame = page.frameLocator('iframe');
  // The article as it will be published, in the site's theme.
  await frame.locator('h1').first().waitFor();
  check((await frame.locator('body').innerText()).includes(title), '预览框中没有文章标题');
  const panel = await page.locator('aside').innerText();
  for (const word of ['信息类别', '审核要求', '签署记录', '外部网站', '图片与附件', '内容检查结果', 'sha256:']) {
    check(panel.includes(word), `审核信息栏缺少「${word}」：${panel}`);
  }
}

async function signIt(page) {
  await page.getByRole('link', { name: /^签发（/ }).click();
  const confirm = await page.locator('main').innerText();
  for (const word of [title, '信息类别', '审核级别', '签署人及角色', '确认签发']) {
    check(confirm.includes(word), `确认页缺少「${word}」：${confirm}`);
  }
  await page.getByRole('button', { name: '确认签发' }).click();
  const done = await page.locator('main').innerText();
  check(done.includes('已签发'), `签发失败：${done}`);
  check(done.includes('已提交到 git'), `没有提交：${done}`);
  console.log(done.replace(/\n+/g, ' '));
}

const browser = await chromium.launch(launchOptions);
try {
  const context = await browser.newContext({
    viewport: { width: 1360, height: 900 },
    locale: 'zh-CN',
    javaScriptEnabled: false,
  });
  const outside = [];
  await fence(context, origin, outside);
  const page = await context.newPage();
  await page.goto(url);
  check(page.url() === `${origin}/_review/`, `令牌没有换成 cookie：${page.url()}`);
  check((await page.locator('h1').innerText()) === '我的待审', '不是待审页');
  if (step === 'sign' || step === 'diff') {
    const mine = await mineSection(page);
    check(mine.includes(title), `「${title}」不在「现在可由您签发」中：${mine}`);
    if (step === 'diff') {
      await page
        .locator('tr', { hasText: title })
        .getByRole('link', { name: /查看修改对比/ })
        .click();
      const diff = page.locator('.diff');
      check((await diff.locator('del').count()) > 0, '修改对比中没有删除的文字');
      check((await diff.locator('ins').count()) > 0, '修改对比中没有新增的文字');
      check((await page.locator('main').innerText()).includes('与您签署过的版本'), '没有找到签署过的版本');
      await shot(page, 'review-diff.png');
      await page.goto(`${origin}/_review/`);
    } else {
      await shot(page, 'review-queue.png');
    }
    await openArticle(page);
    if (step === 'sign') await shot(page, 'review-article.png');
    await signIt(page);
  } else if (step === 'withdraw') {
    const queue = await page.locator('main').innerText();
    check(!queue.includes(title), `已发布的文章不应在待审中：${queue}`);
    await page.getByRole('link', { name: /显示已发布的文章/ }).click();
    await page.getByRole('link', { name: title, exact: true }).first().click();
    await page.getByLabel(/撤稿理由/).fill(reason);
    await page.getByRole('button', { name: '撤稿' }).click();
    const done = await page.locator('main').innerText();
    check(done.includes('已撤稿'), `撤稿失败：${done}`);
    console.log(done.replace(/\n+/g, ' '));
  } else {
    throw new Error(`unknown step ${step}`);
  }
  check(outside.length === 0, `请求离开了本机：${outside.join(', ')}`);
} finally {
  await browser.close();
}
