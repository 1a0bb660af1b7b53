/* 离开本站提示（R11）。
 * 点击正文中的外部链接（a.external、area.external）时先弹出对话框：“您访问的链接即将离开……是否继续？”，
 * 显示目标网址；“继续访问”前往该网址，“放弃”或 Esc 关闭对话框并回到原链接。
 * 没有 JavaScript 时，外部链接直接进入 /leave/ 下的静态提示页，效果相同。
 * 无外部依赖；不支持 <dialog> 的旧浏览器同样退回到静态提示页。 */
(function () {
  'use strict';

  // 提示页上的“放弃”：能后退时后退，否则按链接回到首页。
  document.addEventListener('click', function (e) {
    var back = e.target && e.target.closest ? e.target.closest('a[data-leave-back]') : null;
    if (back && window.history.length > 1) {
      e.preventDefault();
      window.history.back();
    }
  });

  // 对话框只在有 JavaScript 时有用，所以在这里生成，不写进每个页面（主题自己写了 #leave-dialog 时用主题的）；
  // 站点名取自页面的 <meta name="SiteName">。
  function build() {
    var meta = document.querySelector('meta[name="SiteName"]');
    var site = meta ? meta.getAttribute('content') : '';
    var d = document.createElement('dialog');
    d.id = 'leave-dialog';
    d.className = 'leave-dialog';
    d.setAttribute('aria-labelledby', 'leave-dialog-title');
    d.setAttribute('aria-describedby', 'leave-dialog-desc');
    d.innerHTML = '<div class="leave-box"><h2 id="leave-dialog-title" class="leave-title"></h2>' +
      '<div id="leave-dialog-desc"><p class="leave-label">即将访问的网址：</p><p class="leave-target" data-leave-target></p></div>' +
      '<div class="leave-actions"><a class="btn btn-primary" data-leave-go href="/" rel="noopener noreferrer">继续访问</a>' +
      '<button type="button" class="btn" data-leave-cancel>放弃</button></div></div>';
    d.querySelector('h2').textContent = site
      ? '您访问的链接即将离开“' + site + '”门户网站，是否继续？'
      : '您访问的链接即将离开本网站，是否继续？';
    document.body.appendChild(d);
    return d;
  }

  var dialog = document.getElementById('leave-dialog');
  if (!dialog && typeof HTMLDialogElement === 'function') {
    dialog = build();
  }
  if (!dialog || typeof dialog.showModal !== 'function') {
    return;
  }
  var targetText = dialog.querySelector('[data-leave-target]');
  var go = dialog.querySelector('[data-leave-go]');
  var cancel = dialog.querySelector('[data-leave-cancel]');
  if (!targetText || !go || !cancel) {
    return;
  }
  var opener = null;

  function open(link) {
    var target = link.getAttribute('data-href');
    if (!target) {
      return false;
    }
    opener = link;
    targetText.textContent = target;
    go.setAttribute('href', target);
    dialog.showModal();
    go.focus();
    return true;
  }

  function close() {
    if (dialog.open) {
      dialog.close();
    }
  }

  // 关闭后焦点回到被点击的链接。
  dialog.addEventListener('close', function () {
    if (opener) {
      opener.focus();
      opener = null;
    }
  });

  cancel.addEventListener('click', close);

  // 点击对话框外的遮罩层也视为“放弃”。
  dialog.addEventListener('click', function (e) {
    if (e.target === dialog) {
      close();
    }
  });

  dialog.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' || e.key === 'Esc') {
      e.preventDefault();
      close();
      return;
    }
    if (e.key !== 'Tab') {
      return;
    }
    // Tab 只在对话框内循环。
    var items = [go, cancel];
    var i = items.indexOf(document.activeElement);
    var next = e.shiftKey ? (i <= 0 ? items.length - 1 : i - 1) : (i + 1) % items.length;
    e.preventDefault();
    items[next].focus();
  });

  document.addEventListener('click', function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
      return; // 在新窗口打开等操作仍进入静态提示页
    }
    var link = e.target && e.target.closest ? e.target.closest('a.external, area.external') : null;
    if (link && !dialog.contains(link) && open(link)) {
      e.preventDefault();
    }
  });
})();
