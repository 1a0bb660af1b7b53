/* 长辈版（关怀版）and reading aids for the sanshen default theme (R19, N9).
 *
 * - #elder-toggle (header): the 长辈版 switch, class "elder" on <html>.
 * - #elder-bar: shown in 长辈版 — 朗读 (read aloud with the browser's own
 *   speech synthesis, lang zh-CN; no external service), 高对比度 (class
 *   "contrast") and 大鼠标 (class "cursor"). 朗读 has an off switch: the
 *   same button; turning it off stops speech at once.
 * - [data-article-tools] (article pages): 【字体：大 中 小】 (class
 *   "font-large" / "font-small" on <html>) and 【打印】 (window.print with
 *   the print stylesheet), and 朗读全文 when speech is available.
 *
 * The tool bar and the tool row exist only with JavaScript, so their
 * buttons are written here, into the empty #elder-bar and
 * [data-article-tools] placeholders of the templates, rather than into every
 * page (a theme that writes its own buttons there keeps them).
 *
 * Every choice is kept in localStorage ("sanshen-elder", "sanshen-speech",
 * "sanshen-contrast", "sanshen-cursor" = "1"/"0"; "sanshen-font" =
 * "large"/"small"/"") so it holds across pages; a tiny inline script in
 * <head> (templates/base.html) applies it before first paint. Controls are
 * rendered hidden and shown here, so nothing dead is visible without JS.
 */
(function () {
  'use strict';

  var root = document.documentElement;
  var synth = window.speechSynthesis;
  var canSpeak = !!(synth && window.SpeechSynthesisUtterance);

  function save(key, value) {
    try {
      window.localStorage.setItem('sanshen-' + key, value);
    } catch (e) {
      // Storage may be disabled (private mode): the choice lasts for this page only.
    }
  }

  function stopSpeech() {
    if (canSpeak) synth.cancel();
  }

  function speak(text) {
    if (!canSpeak || !text) return;
    synth.cancel();
    var u = new SpeechSynthesisUtterance(text.replace(/\s+/g, ' ').trim());
    u.lang = 'zh-CN';
    u.rate = 0.9;
    synth.speak(u);
    return u;
  }

  // Fill an empty placeholder with its buttons (static markup, no page data).
  function fill(el, html) {
    if (el && !el.firstElementChild) el.innerHTML = html;
    return el;
  }

  // ---- 长辈版 switch and its tool bar ----
  var toggle = document.getElementById('elder-toggle');
  var bar = fill(document.getElementById('elder-bar'),
    '<div class="container elder-bar-inner" role="group" aria-label="长辈版辅助工具">' +
    '<button type="button" class="elder-tool" data-pref="speech" aria-pressed="false" hidden>朗读</button>' +
    '<button type="button" class="elder-tool" data-pref="contrast" aria-pressed="false">高对比度</button>' +
    '<button type="button" class="elder-tool" data-pref="cursor" aria-pressed="false">大鼠标</button>' +
    '<p class="elder-speech-tip" id="elder-speech-tip" hidden>朗读已开启：鼠标移到或用 Tab 键移到文字上即朗读，再按一次“朗读”关闭。</p>' +
    '</div>');
  var tools = bar ? bar.querySelectorAll('[data-pref]') : [];
  var tip = document.getElementById('elder-speech-tip');

  function setPref(name, on) {
    root.classList.toggle(name, on);
    for (var i = 0; i < tools.length; i++) {
      if (tools[i].getAttribute('data-pref') === name) {
        tools[i].setAttribute('aria-pressed', on ? 'true' : 'false');
      }
    }
    if (name === 'speech') {
      if (tip) tip.hidden = !on;
      if (!on) stopSpeech();
    }
  }

  function setElder(on) {
    root.classList.toggle('elder', on);
    if (toggle) toggle.setAttribute('aria-pressed', on ? 'true' : 'false');
    if (bar) bar.hidden = !on;
    if (!on) stopSpeech();
  }

  if (toggle) {
    setElder(root.classList.contains('elder'));
    toggle.hidden = false;
    toggle.addEventListener('click', function () {
      var on = !root.classList.contains('elder');
      setElder(on);
      save('elder', on ? '1' : '0');
    });
  }
  for (var i = 0; i < tools.length; i++) {
    (function (button) {
      var name = button.getAttribute('data-pref');
      if (name === 'speech') {
        if (!canSpeak) return;
        button.hidden = false;
      }
      setPref(name, root.classList.contains(name));
      button.addEventListener('click', function () {
        var on = !root.classList.contains(name);
        setPref(name, on);
        save(name, on ? '1' : '0');
        if (name === 'speech' && on) speak('朗读已开启');
      });
    })(tools[i]);
  }

  // 指读: with 朗读 on, the text under the pointer or keyboard focus is read.
  var READABLE = 'a, button, h1, h2, h3, p, li, td, th, dt, dd, figcaption, label';
  var last = null;
  function readTarget(e) {
    if (!canSpeak || !root.classList.contains('speech')) return;
    var el = e.target && e.target.closest ? e.target.closest(READABLE) : null;
    if (!el || el === last) return;
    last = el;
    speak(el.getAttribute('aria-label') || el.textContent);
  }
  document.addEventListener('mouseover', readTarget);
  document.addEventListener('focusin', readTarget);
  window.addEventListener('pagehide', stopSpeech);

  // ---- article tool row ----
  function group(inner, attrs) {
    return '<span class="tools-group"' + (attrs || '') + '><span aria-hidden="true">【</span>' + inner +
      '<span aria-hidden="true">】</span></span>';
  }
  function sizeButton(size, label) {
    return '<button type="button" data-font="' + size + '" aria-pressed="false">' + label + '</button>';
  }
  var row = fill(document.querySelector('[data-article-tools]'),
    group('字体：' + sizeButton('large', '大') + sizeButton('medium', '中') + sizeButton('small', '小'),
      ' role="group" aria-label="正文字号"') +
    group('<button type="button" data-print>打印</button>') +
    group('<button type="button" data-speak aria-pressed="false">朗读全文</button>', ' data-speech-tools hidden'));
  if (row) {
    var sizes = row.querySelectorAll('[data-font]');
    var current = 'medium';
    if (root.classList.contains('font-large')) current = 'large';
    if (root.classList.contains('font-small')) current = 'small';
    var setFont = function (size) {
      root.classList.toggle('font-large', size === 'large');
      root.classList.toggle('font-small', size === 'small');
      for (var j = 0; j < sizes.length; j++) {
        var b = sizes[j];
        b.setAttribute('aria-pressed', b.getAttribute('data-font') === size ? 'true' : 'false');
      }
    };
    setFont(current);
    for (var j = 0; j < sizes.length; j++) {
      sizes[j].addEventListener('click', function (e) {
        var size = e.currentTarget.getAttribute('data-font');
        setFont(size);
        save('font', size === 'medium' ? '' : size);
      });
    }
    var print = row.querySelector('[data-print]');
    if (print) print.addEventListener('click', function () { window.print(); });
    var speakAll = row.querySelector('[data-speak]');
    var speechGroup = row.querySelector('[data-speech-tools]');
    if (speakAll && speechGroup && canSpeak) {
      speechGroup.hidden = false;
      speakAll.addEventListener('click', function () {
        var on = speakAll.getAttribute('aria-pressed') !== 'true';
        speakAll.setAttribute('aria-pressed', on ? 'true' : 'false');
        speakAll.textContent = on ? '停止朗读' : '朗读全文';
        if (!on) return stopSpeech();
        var title = document.querySelector('.article-title');
        var body = document.querySelector('.article-body');
        var u = speak((title ? title.textContent + '。' : '') + (body ? body.textContent : ''));
        if (u) {
          u.onend = function () {
            speakAll.setAttribute('aria-pressed', 'false');
            speakAll.textContent = '朗读全文';
          };
        }
      });
    }
    row.hidden = false;
  }
})();
