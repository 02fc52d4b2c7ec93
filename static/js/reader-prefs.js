// Loaded in <head> without defer, so the reader's 文字サイズ and 背景色 (static/js/reader.js
// stores them) apply before the first paint: no flash, no layout shift. It also says what
// the browser can do, for CSS: .js (controls work), .can-copy (clipboard), .can-speak.
(function () {
  "use strict";
  var root = document.documentElement;
  var allowed = { textSize: ["large", "x-large"], scheme: ["dark", "contrast"] };
  root.classList.add("js");
  try {
    Object.keys(allowed).forEach(function (key) {
      var value = window.localStorage.getItem("reader." + key);
      if (allowed[key].indexOf(value) !== -1) root.dataset[key] = value;
    });
  } catch (error) { /* storage refused: the defaults */ }
  if (navigator.clipboard && window.isSecureContext) root.classList.add("can-copy");
  if (window.speechSynthesis && window.SpeechSynthesisUtterance) root.classList.add("can-speak");
})();
