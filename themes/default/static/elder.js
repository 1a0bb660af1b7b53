/* 长辈版（关怀版）toggle for the sanshen default theme (R19).
 *
 * The button #elder-toggle in the header is rendered hidden (it does
 * nothing without JavaScript); this script shows it, keeps aria-pressed in
 * step with the class "elder" on <html>, and remembers the choice in
 * localStorage ("sanshen-elder" = "1" or "0"). A tiny inline script in
 * <head> (templates/base.html) applies the saved choice before first paint.
 */
(function () {
  'use strict';

  var KEY = 'sanshen-elder';
  var root = document.documentElement;
  var button = document.getElementById('elder-toggle');
  if (!button) return;

  function apply(on) {
    root.classList.toggle('elder', on);
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
  }

  apply(root.classList.contains('elder'));
  button.hidden = false;
  button.addEventListener('click', function () {
    var on = !root.classList.contains('elder');
    apply(on);
    try {
      window.localStorage.setItem(KEY, on ? '1' : '0');
    } catch (e) {
      // Storage may be disabled (private mode): the choice lasts for this page only.
    }
  });
})();
