// A search result links to a turn as /articles/<slug>/?hl=<words>#t-<anchor>: the browser
// scrolls to the turn (and CSS outlines it, .turn:target); this marks the words in it.
// Matching is as the search does it: NFKC and lower case, so ＯＪＴ finds OJT.
(function () {
  "use strict";
  var words = (new URLSearchParams(window.location.search).get("hl") || "")
    .normalize("NFKC").toLowerCase().split(/\s+/).filter(Boolean);
  var id = decodeURIComponent(window.location.hash.slice(1));
  var target = id && document.getElementById(id);
  if (!words.length || !target) return;
  target = target.closest(".turn") || target;  // an old #turn-<id> lands inside the turn
  var scope = target.querySelector(".speech") || target;

  function normalised(text) {
    // The normalised text, and for each of its characters the index it came from.
    var out = "", origin = [], index = 0;
    for (var ch of text) {
      var piece = ch.normalize("NFKC").toLowerCase();
      for (var c of piece) { out += c; origin.push(index); }
      index += ch.length;
    }
    return { text: out, origin: origin };
  }

  var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
  var nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  nodes.forEach(function (node) {
    var n = normalised(node.data), spans = [];
    words.forEach(function (word) {
      for (var at = n.text.indexOf(word); at !== -1; at = n.text.indexOf(word, at + 1)) {
        var end = at + word.length;
        spans.push([n.origin[at], end < n.origin.length ? n.origin[end] : node.data.length]);
      }
    });
    if (!spans.length) return;
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var fragment = document.createDocumentFragment(), cursor = 0;
    spans.forEach(function (span) {
      if (span[0] < cursor) return;
      fragment.appendChild(document.createTextNode(node.data.slice(cursor, span[0])));
      var mark = document.createElement("mark");
      mark.textContent = node.data.slice(span[0], span[1]);
      fragment.appendChild(mark);
      cursor = span[1];
    });
    fragment.appendChild(document.createTextNode(node.data.slice(cursor)));
    node.parentNode.replaceChild(fragment, node);
  });
})();
