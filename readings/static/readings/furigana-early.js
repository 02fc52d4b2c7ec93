// Loaded in <head> without defer (includes/reading_assets.html): a reader who turned ふりがな
// on gets the room for it (the taller lines of furigana.css) before the first paint, so the
// page does not move when readings/furigana.js puts the ruby in place after parsing.
(function () {
  "use strict";
  try {
    if (window.localStorage.getItem("furigana") === "on") document.documentElement.classList.add("furigana-on");
  } catch (error) { /* storage refused: off */ }
})();
