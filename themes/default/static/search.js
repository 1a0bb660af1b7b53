/* Site search (站内搜索, R21) for the sanshen default theme.
 *
 * Reads ?q= from the address, loads the index written at build time under
 * search/ (see src/render/search/mod.rs for the file format) and lists the
 * published articles that contain every query token: title, column, date
 * and a snippet with the hits in <mark>. No dependencies, no server.
 *
 * fold / isHan / split / fnv1a mirror src/render/search/tokenize.rs exactly; both
 * are checked against tests/fixtures/search/tokenize.json.
 */
(function () {
  'use strict';

  var PAGE = 10; // results shown per step
  var SNIPPET = 80; // characters of a snippet
  var BEFORE = 20; // characters shown before the first hit

  // ---------- Tokenisation (same rule as src/render/search/tokenize.rs) ----------

  // Full-width ASCII to ASCII, then ASCII uppercase to lowercase.
  function fold(cp) {
    if (cp >= 0xff01 && cp <= 0xff5e) cp -= 0xfee0;
    if (cp >= 0x41 && cp <= 0x5a) cp += 0x20;
    return cp;
  }

  function isHan(cp) {
    return cp === 0x3007 || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x323af);
  }

  function isAsciiAlnum(cp) {
    return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a);
  }

  function foldText(text) {
    var out = '';
    for (var ch of text) out += String.fromCodePoint(fold(ch.codePointAt(0)));
    return out;
  }

  // Tokens of text in order; with singles, also every character of the Han
  // runs of two or more (what the index records).
  function split(text, singles) {
    var out = [];
    var word = '';
    var run = [];
    function flushRun() {
      if (run.length === 1) out.push(run[0]);
      for (var i = 0; i + 1 < run.length; i++) out.push(run[i] + run[i + 1]);
      if (singles && run.length > 1) out.push.apply(out, run);
      run = [];
    }
    for (var ch of text) {
      var cp = fold(ch.codePointAt(0));
      if (isAsciiAlnum(cp)) {
        flushRun();
        word += String.fromCodePoint(cp);
        continue;
      }
      if (word) {
        out.push(word);
        word = '';
      }
      if (isHan(cp)) run.push(String.fromCodePoint(cp));
      else flushRun();
    }
    if (word) out.push(word);
    flushRun();
    return out;
  }

  function tokenize(text) {
    return split(text, false);
  }

  // FNV-1a (32 bit) over the UTF-8 bytes: the postings shard of a token.
  function fnv1a(token) {
    var bytes = new TextEncoder().encode(token);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  // For the browser test: the same cases as the Rust unit tests.
  window.sanshenSearch = { tokenize: tokenize, fnv1a: fnv1a };

  // ---------- Loading ----------

  var box = document.querySelector('[data-search-root]');
  if (!box) return;
  var root = box.getAttribute('data-search-root');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var more = document.getElementById('search-more');
  var cache = {};

  function getJSON(path) {
    if (!cache[path]) {
      cache[path] = fetch(root + path).then(function (r) {
        if (!r.ok) throw new Error(path + ': ' + r.status);
        return r.json();
      });
    }
    return cache[path];
  }

  // Packed postings (delta * 16 + 8 if in the title + min(tf, 7)) to a Map
  // of document → tf, plus 8 when the token is in the document's title.
  function decode(packed) {
    var m = new Map();
    var id = 0;
    for (var i = 0; i < packed.length; i++) {
      id += Math.floor(packed[i] / 16);
      m.set(id, packed[i] % 16);
    }
    return m;
  }

  // ---------- Ranking ----------

  // Documents with every token, best first: every token of each phrase in
  // the title, then query tokens in the title, then how often the rarest
  // token occurs in the article (the phrase count at most), then all
  // occurrences; ties newest first (documents are numbered newest first).
  // byToken maps each token to its decoded list; phraseTokens lists the
  // tokens of each space-separated phrase.
  function rank(byToken, phraseTokens) {
    var maps = Array.from(byToken.values()).sort(function (a, b) { return a.size - b.size; });
    var hits = [];
    maps[0].forEach(function (v0, id) {
      var sum = 0;
      var min = 8;
      var inTitle = 0;
      for (var k = 0; k < maps.length; k++) {
        var v = maps[k].get(id);
        if (!v) return;
        min = Math.min(min, v % 8);
        sum += v % 8;
        if (v >= 8) inTitle++;
      }
      var phrase = phraseTokens.every(function (ts) {
        return ts.every(function (t) { return byToken.get(t).get(id) >= 8; });
      }) ? 1 : 0;
      hits.push({ id: id, key: [phrase, inTitle, min, sum] });
    });
    var byKey = function (a, b) {
      for (var i = 0; i < a.key.length; i++) {
        if (a.key[i] !== b.key[i]) return b.key[i] - a.key[i];
      }
      return a.id - b.id;
    };
    return hits.sort(byKey);
  }

  // ---------- Display ----------

  // Text with every occurrence of the needles wrapped in <mark>.
  function marked(text, needles) {
    var lower = foldText(text);
    var on = new Array(text.length).fill(false);
    needles.forEach(function (n) {
      for (var at = lower.indexOf(n); n && at >= 0; at = lower.indexOf(n, at + 1)) {
        for (var i = at; i < at + n.length; i++) on[i] = true;
      }
    });
    var frag = document.createDocumentFragment();
    var i = 0;
    while (i < text.length) {
      var j = i;
      while (j < text.length && on[j] === on[i]) j++;
      var piece = document.createTextNode(text.slice(i, j));
      if (on[i]) {
        var m = document.createElement('mark');
        m.appendChild(piece);
        frag.appendChild(m);
      } else {
        frag.appendChild(piece);
      }
      i = j;
    }
    return frag;
  }

  // About SNIPPET characters around the first hit (phrase first, then token).
  function snippet(text, phrases, tokens) {
    var lower = foldText(text);
    var first = function (needles) {
      return needles.reduce(function (best, n) {
        var at = n ? lower.indexOf(n) : -1;
        return at >= 0 && (best < 0 || at < best) ? at : best;
      }, -1);
    };
    var at = first(phrases);
    if (at < 0) at = first(tokens);
    var start = Math.max(0, at - BEFORE);
    var end = Math.min(text.length, start + SNIPPET);
    if (/[\udc00-\udfff]/.test(text.charAt(start))) start++;
    if (/[\ud800-\udbff]/.test(text.charAt(end - 1))) end--;
    return (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : '');
  }

  function el(tag, cls, child) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (child) e.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    return e;
  }

  // doc: [title, url, date, column index or null, text] from d/<k>.json.
  function item(index, doc, needles, phrases, tokens) {
    var url = doc[1];
    var date = doc[2];
    var column = doc[3] == null ? '' : index.columns[doc[3]] || '';
    var li = el('li', 'search-result');
    var a = el('a', null, marked(doc[0] || url, needles));
    a.href = url;
    li.appendChild(el('h2', 'search-result-title', a));
    li.appendChild(el('p', 'search-result-snippet', marked(snippet(doc[4] || '', phrases, tokens), needles)));
    var meta = el('p', 'search-result-meta');
    if (column) meta.appendChild(el('span', 'search-result-column', column));
    var time = el('time', null, date);
    time.setAttribute('datetime', date);
    meta.appendChild(time);
    li.appendChild(meta);
    return li;
  }

  // Show results [from, from + PAGE); resolves to the first new link.
  function show(index, hits, from, needles, phrases, tokens) {
    var page = hits.slice(from, from + PAGE);
    var shards = page.map(function (h) {
      return getJSON('d/' + Math.floor(h.id / index.per_doc) + '.json');
    });
    return Promise.all(shards).then(function (docs) {
      var firstLink = null;
      page.forEach(function (h, k) {
        var doc = docs[k][h.id % index.per_doc] || ['', '#', '', null, ''];
        var li = item(index, doc, needles, phrases, tokens);
        firstLink = firstLink || li.querySelector('a');
        list.appendChild(li);
      });
      var left = hits.length - from - page.length;
      more.hidden = left <= 0;
      more.textContent = '显示更多结果（还有 ' + left + ' 条）';
      return firstLink;
    });
  }

  function say(text) {
    status.textContent = text;
  }

  function run() {
    var q = (new URLSearchParams(window.location.search).get('q') || '').trim().slice(0, 60);
    document.querySelectorAll('input[name="q"]').forEach(function (input) { input.value = q; });
    if (!q) {
      say('请输入要查找的词语。');
      return;
    }
    document.title = '“' + q + '”的搜索结果 - ' + document.title;
    var tokens = Array.from(new Set(tokenize(q)));
    var phrases = foldText(q).split(/\s+/).filter(Boolean);
    var needles = phrases.concat(tokens);
    if (!tokens.length) {
      say('没有找到相关信息。请输入汉字、字母或数字。');
      return;
    }
    say('正在搜索……');
    getJSON('index.json').then(function (index) {
      if (index.version !== 2) throw new Error('index version ' + index.version);
      return Promise.all(tokens.map(function (t) {
        return getJSON('p/' + (fnv1a(t) % index.shards) + '.json').then(function (s) {
          return [t, decode(s[t] || [])];
        });
      })).then(function (lists) {
        var phraseTokens = phrases.map(tokenize).filter(function (ts) { return ts.length; });
        var hits = rank(new Map(lists), phraseTokens);
        if (!hits.length) {
          say('没有找到相关信息');
          var tip = el('p', 'search-none', '请检查输入的词语是否有误，或换用其他词语、减少词语个数后再试；也可以查看');
          var map = el('a', null, '网站地图');
          map.href = box.getAttribute('data-sitemap');
          tip.appendChild(map);
          tip.appendChild(document.createTextNode('。'));
          list.parentNode.insertBefore(tip, list);
          return;
        }
        var shown = 0;
        var next = function () {
          var from = shown;
          shown += PAGE;
          return show(index, hits, from, needles, phrases, tokens);
        };
        more.addEventListener('click', function () {
          next().then(function (link) { if (link) link.focus(); });
        });
        return next().then(function () { say('找到 ' + hits.length + ' 条结果'); });
      });
    }).catch(function () {
      say('搜索暂时无法使用：索引文件加载失败。请通过网站服务器访问本页并稍后重试，或通过网站地图查找。');
    });
  }

  run();
})();
