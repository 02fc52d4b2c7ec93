/* One order per section for turns and figures together (see articles/admin/block_order.py).
 *
 * The part's admin page lists a section's turns and its figures in two lists, but they
 * share one sequence of 順番 positions. This script keeps that sequence: every turn and
 * figure row gets 「上へ」「下へ」 buttons and a drag handle, and typing a number into 順番
 * moves the row to that place. Each move renumbers the whole section 1…n, shows the rows
 * of each list in the new order, and is announced to screen readers. Nothing is renumbered
 * unless the editor moves something, so a save that moves nothing keeps every position.
 */
(function () {
  "use strict";

  var ROW = /^(sections-\d+)-(turns|figures)-(\d+)$/;
  var sequences = {}; // section prefix -> array of row elements, in order
  var dragged = null;

  function gettext(text) {
    return window.gettext ? window.gettext(text) : text;
  }

  function positionInput(row) {
    return document.getElementById("id_" + row.id + "-position");
  }

  function sectionOf(row) {
    var match = ROW.exec(row.id);
    return match ? match[1] : null;
  }

  function isTurn(row) {
    return ROW.exec(row.id)[2] === "turns";
  }

  function rowsOf(prefix) {
    var rows = [];
    ["turns", "figures"].forEach(function (kind) {
      var group = document.getElementById(prefix + "-" + kind + "-group");
      if (!group) return;
      group.querySelectorAll(".djn-inline-form").forEach(function (row) {
        if (ROW.test(row.id) && sectionOf(row) === prefix) rows.push(row);
      });
    });
    return rows;
  }

  function numberOf(row) {
    var value = parseInt(positionInput(row).value, 10);
    return isNaN(value) ? 0 : value;
  }

  /* The section's sequence as stored: by position, a turn before a figure on a tie, then
     the order on the page. Rows added since (new turns, new figures) go to the end. */
  function sequence(prefix) {
    var rows = rowsOf(prefix);
    var known = (sequences[prefix] || []).filter(function (row) {
      return rows.indexOf(row) !== -1;
    });
    if (!sequences[prefix]) {
      known = rows.filter(function (row) { return row.dataset.isInitial === "true"; });
      known.sort(function (a, b) {
        return numberOf(a) - numberOf(b) || (isTurn(b) - isTurn(a)) || rows.indexOf(a) - rows.indexOf(b);
      });
    }
    rows.forEach(function (row) {
      if (known.indexOf(row) === -1) {
        known.push(row);
        positionInput(row).value = known.length;
      }
    });
    sequences[prefix] = known;
    return known;
  }

  function label(row) {
    if (isTurn(row)) {
      var text = row.querySelector(".inline_label");
      var words = text ? text.textContent.trim() : "";
      return words ? words.slice(0, 20) : gettext("新しい発言");
    }
    var reference = document.getElementById("id_" + row.id + "-reference");
    return (reference && reference.value) || gettext("画像");
  }

  function announce(text) {
    var status = document.getElementById("block-order-status");
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  /* Show each list's rows in the sequence's order (before the empty template row). */
  function showInOrder(prefix, order) {
    ["turns", "figures"].forEach(function (kind) {
      var group = document.getElementById(prefix + "-" + kind + "-group");
      if (!group) return;
      var container = group.querySelector(".djn-items");
      var template = container.querySelector(".djn-empty-form");
      order.forEach(function (row) {
        if (row.parentNode === container) container.insertBefore(row, template);
      });
    });
  }

  function moveTo(row, index, focusAfter) {
    var prefix = sectionOf(row);
    var order = sequence(prefix);
    var from = order.indexOf(row);
    index = Math.max(0, Math.min(order.length - 1, index));
    order.splice(from, 1);
    order.splice(index, 0, row);
    order.forEach(function (item, i) { positionInput(item).value = i + 1; });
    showInOrder(prefix, order);
    if (focusAfter) focusAfter.focus();
    var message = gettext("「%(label)s」をこのセクションの%(n)s番目に移動しました(全%(count)s件)。");
    announce(message.replace("%(label)s", label(row)).replace("%(n)s", index + 1).replace("%(count)s", order.length));
  }

  function button(text, className, hint) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "block-order-button " + className;
    element.textContent = text;
    element.setAttribute("aria-label", hint);
    return element;
  }

  function decorate(row) {
    var input = positionInput(row);
    if (!input || row.querySelector(".block-order-tools")) return;
    var name = label(row);
    var tools = document.createElement("span");
    tools.className = "block-order-tools";
    var handle = document.createElement("span");
    handle.className = "block-order-handle";
    handle.draggable = true;
    handle.title = gettext("ドラッグして並べ替え");
    handle.setAttribute("aria-hidden", "true");
    handle.textContent = "⠿";
    tools.appendChild(handle);
    tools.appendChild(button("↑", "block-order-up", gettext("「%s」を上へ移動").replace("%s", name)));
    tools.appendChild(button("↓", "block-order-down", gettext("「%s」を下へ移動").replace("%s", name)));
    input.insertAdjacentElement("afterend", tools);
    input.setAttribute("aria-describedby", "block-order-help");
  }

  function decorateAll() {
    document.querySelectorAll(".djn-inline-form").forEach(function (row) {
      if (ROW.test(row.id)) decorate(row);
    });
  }

  function rowOf(element) {
    var row = element.closest(".djn-inline-form");
    return row && ROW.test(row.id) ? row : null;
  }

  function init() {
    var form = document.getElementById("article_form");
    if (!form) return;
    var help = document.createElement("p");
    help.id = "block-order-help";
    help.className = "help block-order-help";
    help.textContent = gettext("順番は見出しごとに発言と画像を通した番号です。数字を入れるか、↑↓ボタンかドラッグで動かせます。");
    var status = document.createElement("div");
    status.id = "block-order-status";
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    form.prepend(help, status);
    decorateAll();

    form.addEventListener("click", function (event) {
      var target = event.target.closest(".block-order-button");
      if (target) {
        var row = rowOf(target);
        var order = sequence(sectionOf(row));
        var step = target.classList.contains("block-order-up") ? -1 : 1;
        moveTo(row, order.indexOf(row) + step, target);
        return;
      }
      if (event.target.closest(".add-row, .djn-add-item")) window.setTimeout(decorateAll, 0);
    });
    form.addEventListener("change", function (event) {
      var row = event.target.id && /-position$/.test(event.target.id) ? rowOf(event.target) : null;
      if (!row || positionInput(row) !== event.target) return;
      var wanted = parseInt(event.target.value, 10);
      if (isNaN(wanted)) return;
      moveTo(row, wanted - 1, event.target);
    });
    form.addEventListener("dragstart", function (event) {
      if (!event.target.classList || !event.target.classList.contains("block-order-handle")) return;
      dragged = rowOf(event.target);
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.id);
    });
    form.addEventListener("dragover", function (event) {
      var row = dragged && rowOf(event.target);
      if (row && row !== dragged && sectionOf(row) === sectionOf(dragged)) event.preventDefault();
    });
    form.addEventListener("drop", function (event) {
      var row = dragged && rowOf(event.target);
      if (!row || row === dragged || sectionOf(row) !== sectionOf(dragged)) return;
      event.preventDefault();
      var order = sequence(sectionOf(row));
      moveTo(dragged, order.indexOf(row), null);
      dragged = null;
    });
    form.addEventListener("dragend", function () { dragged = null; });
    form.addEventListener("submit", function () {
      // New rows get the next free positions; nothing else is renumbered.
      Object.keys(sequences).forEach(sequence);
      document.querySelectorAll("[id$='-turns-group'], [id$='-figures-group']").forEach(function (group) {
        var match = /^(sections-\d+)-/.exec(group.id);
        if (match) sequence(match[1]);
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
