// ふりがな: the button swaps each heading and turn marked data-ruby for its copy with ruby
// (the <template id="furigana-data"> of the page) and back. Off, no <ruby> is in the page.
// The choice is remembered (localStorage) for the next page.
(function () {
  "use strict";
  var KEY = "furigana";
  var data = document.getElementById("furigana-data");
  var button = document.querySelector(".furigana-toggle");
  if (!data || !button || !data.content || !data.content.querySelector("[data-ruby-for]")) {
    document.documentElement.classList.remove("furigana-on"); // set early (furigana-early.js); nothing to show
    return;
  }
  var plain = new Map();

  function targets() {
    var pairs = [];
    data.content.querySelectorAll("[data-ruby-for]").forEach(function (variant) {
      var target = document.querySelector('[data-ruby="' + variant.getAttribute("data-ruby-for") + '"]');
      if (target) pairs.push([target, variant]);
    });
    return pairs;
  }

  // Speakers' names (labels, participants box): each text occurrence of a name gets its ruby.
  var names = [];
  data.content.querySelectorAll("[data-ruby-name]").forEach(function (span) {
    names.push([span.getAttribute("data-ruby-name"), span]);
  });
  names.sort(function (a, b) { return b[0].length - a[0].length; });
  var NAMED = ".speaker a, .participant-name";

  function rubyNames(element) {
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    var nodes = [];
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.closest(".visually-hidden, ruby")) nodes.push(node);
    }
    nodes.forEach(function (node) {
      for (var i = 0; i < names.length; i++) {
        var at = node.data.indexOf(names[i][0]);
        if (at === -1) continue;
        var rest = node.splitText(at);
        rest.data = rest.data.slice(names[i][0].length);
        var fragment = document.createDocumentFragment();
        names[i][1].childNodes.forEach(function (child) { fragment.appendChild(child.cloneNode(true)); });
        node.parentNode.insertBefore(fragment, rest);
        return;
      }
    });
  }

  function show(on) {
    document.querySelectorAll(NAMED).forEach(function (element) {
      if (on) {
        if (!plain.has(element)) plain.set(element, element.innerHTML);
        rubyNames(element);
      } else if (plain.has(element)) {
        element.innerHTML = plain.get(element);
        plain.delete(element);
      }
    });
    targets().forEach(function (pair) {
      var target = pair[0];
      if (on) {
        if (!plain.has(target)) plain.set(target, target.innerHTML);
        target.innerHTML = pair[1].innerHTML;
      } else if (plain.has(target)) {
        target.innerHTML = plain.get(target);
        plain.delete(target);
      }
    });
    button.setAttribute("aria-pressed", on ? "true" : "false");
    document.documentElement.classList.toggle("furigana-on", on);
  }

  function remember(on) {
    try {
      window.localStorage.setItem(KEY, on ? "on" : "off");
    } catch (error) {
      // Storage refused (private mode): the choice lasts for this page only.
    }
  }

  button.addEventListener("click", function () {
    var on = button.getAttribute("aria-pressed") !== "true";
    show(on);
    remember(on);
  });
  var stored = null;
  try {
    stored = window.localStorage.getItem(KEY);
  } catch (error) {
    stored = null;
  }
  if (stored === "on") show(true);
})();
