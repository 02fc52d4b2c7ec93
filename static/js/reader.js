// The reader's tools (templates/includes/reader_controls.html, articles/_turn_tools.html):
// 文字サイズ and 背景色 (remembered; static/js/reader-prefs.js applies them before paint),
// "copy link" of a turn, a link to a selected passage (a URL text fragment, #t-…:~:text=…),
// and 読み上げ: the part read aloud turn by turn in Japanese, each speaker announced by
// their reading (data-speaker), the current turn highlighted and scrolled into view.
(function () {
  "use strict";
  var root = document.documentElement;
  var status = document.querySelector(".reader-status");

  function say(message) {
    if (!status) return;
    status.textContent = message;
    window.clearTimeout(say.timer);
    say.timer = window.setTimeout(function () { status.textContent = ""; }, 4000);
  }

  // == 文字サイズ and 背景色 ==
  function pressed(key, value) {
    var attribute = key === "textSize" ? "data-text-size" : "data-scheme";
    document.querySelectorAll("button[" + attribute + "]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute(attribute) === value));
    });
  }
  ["textSize", "scheme"].forEach(function (key) {
    var attribute = key === "textSize" ? "data-text-size" : "data-scheme";
    pressed(key, root.dataset[key] || "");
    document.querySelectorAll("button[" + attribute + "]").forEach(function (button) {
      button.addEventListener("click", function () {
        var value = button.getAttribute(attribute);
        if (value) root.dataset[key] = value; else delete root.dataset[key];
        try {
          if (value) window.localStorage.setItem("reader." + key, value);
          else window.localStorage.removeItem("reader." + key);
        } catch (error) { /* not remembered, still applied */ }
        pressed(key, value);
      });
    });
  });

  // == Links to a turn and to a passage ==
  function pageURL(fragment) {
    return window.location.origin + window.location.pathname + "#" + fragment;
  }
  function copy(text, done) {
    navigator.clipboard.writeText(text).then(function () { say(done); }, function () {
      say(status && status.dataset.failed);
    });
  }
  document.querySelectorAll(".copy-link").forEach(function (button) {
    button.addEventListener("click", function () {
      copy(pageURL(button.dataset.anchor), status && status.dataset.turn);
    });
  });

  // A text directive's words, with the characters it reserves escaped.
  function directive(text) {
    return encodeURIComponent(text).replace(/-/g, "%2D").replace(/,/g, "%2C").replace(/&/g, "%26");
  }
  var words = window.Intl && Intl.Segmenter ? new Intl.Segmenter("ja", { granularity: "word" }) : null;
  function boundaries(text) {
    var points = [0, text.length];
    if (words) for (var s of words.segment(text)) points.push(s.index);
    return points;
  }
  // Chromium matches a text fragment only at word boundaries: widen the selection to them.
  function snapped(text, start, end) {
    var points = boundaries(text);
    var from = Math.max.apply(null, points.filter(function (p) { return p <= start; }));
    var to = Math.min.apply(null, points.filter(function (p) { return p >= end; }));
    return text.slice(from, to);
  }
  function passageFragment(turn, range) {
    var scope = turn.querySelector(".speech") || turn;
    if (!scope.contains(range.startContainer) || !scope.contains(range.endContainer)) return null;
    var before = document.createRange();
    before.setStart(scope, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var start = before.toString().length, end = start + range.toString().length;
    var passage = snapped(scope.textContent, start, end).trim();
    if (!passage) return null;
    var lines = passage.split(/\s*\n\s*/).filter(Boolean);
    var text = lines.length === 1 && passage.length <= 60 ? directive(passage)
      : directive(lines[0].slice(0, 20)) + "," + directive(lines[lines.length - 1].slice(-20));
    return turn.id + ":~:text=" + text;
  }
  var bar = document.querySelector(".passage-link"), passage = null;
  if (bar && root.classList.contains("can-copy")) {
    document.addEventListener("selectionchange", function () {
      var selection = document.getSelection();
      passage = null;
      if (selection && selection.rangeCount && !selection.isCollapsed) {
        var range = selection.getRangeAt(0);
        var start = range.startContainer.parentElement, end = range.endContainer.parentElement;
        var turn = start && start.closest(".article-body .turn");
        if (turn && end && end.closest(".turn") === turn) passage = passageFragment(turn, range);
      }
      bar.hidden = !passage;
    });
    bar.querySelector("button").addEventListener("click", function () {
      if (passage) copy(pageURL(passage), status && status.dataset.passage);
    });
  }

  // == 読み上げ ==
  var start = document.querySelector('[data-speech="start"]');
  var player = document.querySelector(".speech-player");
  if (!start || !player || !root.classList.contains("can-speak")) return;
  var synth = window.speechSynthesis, voice = null, turns = [], current = -1, generation = 0;

  function japaneseVoice() {
    var voices = synth.getVoices() || [];
    return voices.filter(function (v) { return /^ja(-|_|$)/i.test(v.lang); })[0] || null;
  }
  function ready() {
    voice = japaneseVoice();
    root.classList.toggle("speech-ready", !!voice);
    return !!voice;
  }
  if (!ready()) {
    synth.addEventListener("voiceschanged", ready);
  }

  function sentences(text) {
    return text.replace(/\s+/g, " ").split(/(?<=[。!?！？])/).map(function (s) { return s.trim(); }).filter(Boolean);
  }
  function spoken(turn) {
    var parts = turn.dataset.speaker ? [turn.dataset.speaker] : [];
    var scope = turn.querySelector(".speech") || turn;
    return parts.concat(sentences(scope.innerText || scope.textContent));
  }
  function mark(index) {
    turns.forEach(function (turn, i) { turn.classList.toggle("speaking", i === index); });
    if (index >= 0) {
      var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      turns[index].scrollIntoView({ block: "center", behavior: still ? "auto" : "smooth" });
    }
  }
  function utterance(text) {
    var u = new SpeechSynthesisUtterance(text);
    u.lang = "ja-JP";
    try { if (voice) u.voice = voice; } catch (error) { /* the lang decides */ }
    return u;
  }
  function play(index) {
    var mine = ++generation;
    synth.cancel();
    current = index;
    if (index >= turns.length) { stop(); return; }
    mark(index);
    var texts = spoken(turns[index]);
    texts.forEach(function (text, i) {
      var u = utterance(text);
      if (i === texts.length - 1) u.onend = function () { if (mine === generation) play(index + 1); };
      synth.speak(u);
    });
    if (!texts.length) play(index + 1);
  }
  function stop() {
    generation++;
    synth.cancel();
    mark(-1);
    current = -1;
    player.hidden = true;
    pause.setAttribute("aria-pressed", "false");
    start.focus();
  }
  var pause = player.querySelector('[data-speech="pause"]');
  start.addEventListener("click", function () {
    turns = Array.prototype.slice.call(document.querySelectorAll(".article-body .turn"));
    var target = document.querySelector(".article-body .turn:target");
    player.hidden = false;
    pause.setAttribute("aria-pressed", "false");
    play(target ? turns.indexOf(target) : 0);
  });
  pause.addEventListener("click", function () {
    var paused = pause.getAttribute("aria-pressed") === "true";
    if (paused) synth.resume(); else synth.pause();
    pause.setAttribute("aria-pressed", String(!paused));
  });
  player.querySelector('[data-speech="next"]').addEventListener("click", function () {
    pause.setAttribute("aria-pressed", "false");
    if (synth.paused) synth.resume();
    play(current + 1);
  });
  player.querySelector('[data-speech="stop"]').addEventListener("click", stop);
})();
