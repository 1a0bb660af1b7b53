/* Site search (站内搜索, R21) for the sanshen default theme.
 *
 * Reads ?q= from the address, loads the index written at build time under
 * search/ (see src/render/search/mod.rs for the file format) and lists the
 * published articles that contain every query token: title, column, date
 * and a snippet with the hits in <mark>. No dependencies, no server.
 *
 * The lookup (lookup / plan / rank, no DOM) is also exported as
 * window.sanshenSearch.lookup so that tests and bench/compare.py run this
 * very code under node against a built site.
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

  // Walk text (folded): onWord(w) for each ASCII word, onRun(chars) for
  // each run of Han characters, in order; everything else separates.
  function scan(text, onWord, onRun) {
    var word = '';
    var run = [];
    function flushRun() {
      if (run.length) onRun(run);
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
        onWord(word);
        word = '';
      }
      if (isHan(cp)) run.push(String.fromCodePoint(cp));
      else flushRun();
    }
    if (word) onWord(word);
    flushRun();
  }

  // The bigrams of a Han run in order, or its one character.
  function bigrams(run) {
    if (run.length === 1) return [run[0]];
    return run.slice(1).map(function (c, i) { return run[i] + c; });
  }

  // Tokens of text in order; with singles, also every character of the Han
  // runs of two or more (what the index records).
  function split(text, singles) {
    var out = [];
    scan(text, function (w) { out.push(w); }, function (run) {
      out.push.apply(out, bigrams(run));
      if (singles && run.length > 1) out.push.apply(out, run);
    });
    return out;
  }

  function tokenize(text) {
    return split(text, false);
  }

  // The tokens of text grouped by piece: one array per ASCII word or Han
  // run (its bigrams in order, or its one character).
  function pieces(text) {
    var out = [];
    scan(text, function (w) { out.push([w]); }, function (run) { out.push(bigrams(run)); });
    return out;
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

  // ---------- Lookup (no DOM) ----------

  var VERSION = 3;
  var QUERY_SHARDS = 4; // postings shards fetched per query, at most (mod.rs)
  var STEP = 2; // packed entry: delta * 2 + 1 if the token is in the title

  // Which tokens to look up. Every other bigram of a Han run covers all
  // its characters (安全生产: 安全 生产; 高标准农田建设: 高标 准农 田建 建设);
  // tokens are taken round-robin over the pieces of every phrase while
  // their shards stay within QUERY_SHARDS, then every other query token in
  // an already chosen shard comes free. Leaving a token out only widens
  // the match, so every article containing the query is still found.
  function plan(q, shards) {
    var phrases = foldText(q).split(/\s+/).filter(Boolean);
    var queue = [];
    phrases.forEach(function (p, n) {
      pieces(p).forEach(function (piece) {
        var cover = piece.filter(function (_, i) { return i % 2 === 0 || i === piece.length - 1; });
        queue.push({ phrase: n, tokens: cover });
      });
    });
    var files = [];
    var chosen = new Map(); // token -> phrase numbers
    var shardOf = function (t) { return fnv1a(t) % shards; };
    var take = function (t, phrase) {
      var k = shardOf(t);
      if (files.indexOf(k) < 0) {
        if (files.length >= QUERY_SHARDS) return;
        files.push(k);
      }
      if (!chosen.has(t)) chosen.set(t, new Set());
      chosen.get(t).add(phrase);
    };
    for (var round = 0; queue.some(function (x) { return round < x.tokens.length; }); round++) {
      queue.forEach(function (x) { if (round < x.tokens.length) take(x.tokens[round], x.phrase); });
    }
    phrases.forEach(function (p, n) {
      tokenize(p).forEach(function (t) { if (files.indexOf(shardOf(t)) >= 0) take(t, n); });
    });
    var phraseTokens = phrases.map(function (_, n) {
      return Array.from(chosen.keys()).filter(function (t) { return chosen.get(t).has(n); });
    }).filter(function (ts) { return ts.length; });
    return { tokens: Array.from(chosen.keys()), phraseTokens: phraseTokens, shardOf: shardOf, files: files };
  }

  // Packed postings to a Map of document -> 1 if the token is in its title, else 0.
  function decode(packed) {
    var m = new Map();
    var id = 0;
    for (var i = 0; i < packed.length; i++) {
      id += Math.floor(packed[i] / STEP);
      m.set(id, packed[i] % STEP);
    }
    return m;
  }

  // Documents with every looked-up token, best first: every token of each
  // phrase in the title, then the number of tokens in the title; ties
  // newest first (documents are numbered newest first).
  function rank(byToken, phraseTokens) {
    var maps = Array.from(byToken.values()).sort(function (a, b) { return a.size - b.size; });
    var hits = [];
    if (!maps.length) return hits;
    maps[0].forEach(function (_, id) {
      var inTitle = 0;
      for (var k = 0; k < maps.length; k++) {
        var v = maps[k].get(id);
        if (v === undefined) return;
        inTitle += v;
      }
      var phrase = phraseTokens.every(function (ts) {
        return ts.every(function (t) { return byToken.get(t).get(id) === 1; });
      }) ? 1 : 0;
      hits.push({ id: id, phrase: phrase, inTitle: inTitle });
    });
    return hits.sort(function (a, b) {
      return (b.phrase - a.phrase) || (b.inTitle - a.inTitle) || (a.id - b.id);
    });
  }

  // Look q up with getJSON(path under search/) -> Promise of the parsed
  // file; root is the search page's copy of index.json (fetched when
  // missing). Resolves to { index, tokens (looked up), hits (ids, best
  // first), records(ids) } where
  // records(ids) resolves to the records [title, url, date, column, text]
  // of those documents, fetching only the document shards it lacks.
  function lookup(q, getJSON, root) {
    return (root ? Promise.resolve(root) : getJSON('index.json')).then(function (index) {
      if (index.version !== VERSION) throw new Error('index version ' + index.version);
      var p = plan(q, index.shards);
      return Promise.all(p.files.map(function (k) { return getJSON('p/' + k + '.json'); })).then(function (loaded) {
        var known = new Map();
        var byFile = new Map();
        loaded.forEach(function (s, j) {
          byFile.set(p.files[j], s);
          Object.keys(s.r || {}).forEach(function (id) { known.set(Number(id), s.r[id]); });
        });
        var byToken = new Map(p.tokens.map(function (t) {
          return [t, decode(byFile.get(p.shardOf(t)).t[t] || [])];
        }));
        var records = function (ids) {
          var need = [];
          ids.forEach(function (id) {
            var k = Math.floor(id / index.per_doc);
            if (!known.has(id) && need.indexOf(k) < 0) need.push(k);
          });
          return Promise.all(need.map(function (k) {
            return getJSON('d/' + k + '.json').then(function (docs) {
              docs.forEach(function (doc, j) { known.set(k * index.per_doc + j, doc); });
            });
          })).then(function () {
            return ids.map(function (id) { return known.get(id) || ['', '#', '', null, '']; });
          });
        };
        return {
          index: index,
          tokens: p.tokens,
          hits: rank(byToken, p.phraseTokens).map(function (h) { return h.id; }),
          records: records
        };
      });
    });
  }

  // For tests and the bench: the same cases as the Rust unit tests, and
  // the lookup itself.
  window.sanshenSearch = { tokenize: tokenize, fnv1a: fnv1a, plan: plan, lookup: lookup };

  // ---------- Loading ----------

  var box = document.querySelector('[data-search-root]');
  if (!box) return;
  var root = box.getAttribute('data-search-root');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var more = document.getElementById('search-more');
  var cache = {};
  var given = null;
  try {
    given = JSON.parse(box.getAttribute('data-search-index') || 'null');
  } catch (e) {
    given = null; // fetch index.json instead
  }

  function getJSON(path) {
    if (!cache[path]) {
      cache[path] = fetch(root + path).then(function (r) {
        if (!r.ok) throw new Error(path + ': ' + r.status);
        return r.json();
      });
    }
    return cache[path];
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
  function show(found, from, needles, phrases, tokens) {
    var hits = found.hits;
    var page = hits.slice(from, from + PAGE);
    return found.records(page).then(function (docs) {
      var firstLink = null;
      docs.forEach(function (doc) {
        var li = item(found.index, doc, needles, phrases, tokens);
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
    lookup(q, getJSON, given).then(function (found) {
      if (!found.hits.length) {
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
        return show(found, from, needles, phrases, tokens);
      };
      more.addEventListener('click', function () {
        next().then(function (link) { if (link) link.focus(); });
      });
      return next().then(function () { say('找到 ' + found.hits.length + ' 条结果'); });
    }).catch(function () {
      say('搜索暂时无法使用：索引文件加载失败。请通过网站服务器访问本页并稍后重试，或通过网站地图查找。');
    });
  }

  run();
})();
