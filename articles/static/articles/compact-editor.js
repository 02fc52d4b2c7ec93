/* The compact editor of a part (see articles/admin/compact_editor.py).
 *
 * A long part on one screen: every turn is one line (its number, speaker and first line),
 * opened for editing one at a time; an outline of the sections with jump links, and
 * 「発言へ移動」 (a turn by its number: two actions to any turn, keyboard only too); sections
 * fold; the save buttons stay at the bottom of the window; errors are counted and linked
 * from a summary at the top (a link opens the turn and focuses the field); leaving with
 * unsaved changes asks first; a turn's Markdown preview is fetched when asked for.
 * The order of turns and figures stays with block-order.js.
 */
(function () {
  "use strict";

  var SECTION = /^sections-\d+$/;
  var dirty = false;
  var submitting = false;

  function gettext(text) {
    return window.gettext ? window.gettext(text) : text;
  }

  function interpolate(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function sections() {
    return Array.prototype.filter.call(document.querySelectorAll(".djn-inline-form"), function (row) {
      return SECTION.test(row.id) && !row.classList.contains("djn-empty-form");
    });
  }

  function turns() {
    return Array.prototype.filter.call(document.querySelectorAll(".compact-turn"), function (row) {
      return !row.classList.contains("djn-empty-form");
    });
  }

  function sectionTitle(section, index) {
    var heading = document.getElementById("id_" + section.id + "-heading");
    var text = heading && heading.value.trim();
    return text || interpolate(gettext("見出し %(n)s"), { n: index + 1 });
  }

  /* --- turn numbers and the one open turn ------------------------------------------------ */

  function numberTurns() {
    turns().forEach(function (row, index) {
      var summary = row.querySelector(".compact-turn-summary");
      var number = summary.querySelector(".compact-turn-number");
      if (!number) {
        number = element("span", { class: "compact-turn-number" });
        summary.prepend(number);
      }
      number.textContent = interpolate(gettext("発言%(n)s"), { n: index + 1 });
      row.dataset.turnNumber = index + 1;
    });
    var jump = document.getElementById("compact-jump-number");
    if (jump) jump.max = turns().length;
  }

  function openTurn(row, focusField) {
    var details = row.querySelector(".compact-turn-details");
    expandSectionOf(row);
    details.open = true;
    closeOthers(details);
    if (focusField) {
      var field = row.querySelector("textarea") || row.querySelector("summary");
      field.focus({ preventScroll: true });
    }
    row.scrollIntoView({ block: "center" });
  }

  function closeOthers(details) {
    document.querySelectorAll(".compact-turn-details[open]").forEach(function (other) {
      var row = other.closest(".compact-turn");
      if (other !== details && !row.classList.contains("compact-turn-has-errors") && !row.classList.contains("djn-empty-form"))
        other.open = false;
    });
  }

  function refreshSummary(row) {
    var body = row.querySelector("textarea");
    var speaker = row.querySelector("select[name$='-speaker']");
    if (body) {
      var line = body.value.split(/\n/).map(function (l) { return l.trim(); }).filter(Boolean)[0] || gettext("(本文なし)");
      row.querySelector(".compact-turn-first-line").textContent = line.length > 48 ? line.slice(0, 48) + "…" : line;
    }
    if (speaker) {
      row.querySelector(".compact-turn-speaker").textContent = speaker.value
        ? speaker.options[speaker.selectedIndex].textContent
        : gettext("ナレーション");
    }
  }

  /* --- sections: outline and folding ----------------------------------------------------- */

  function expandSectionOf(node) {
    var section = node.closest(".djn-inline-form.compact-section-collapsed");
    if (section) setCollapsed(section, false);
  }

  function setCollapsed(section, collapsed) {
    section.classList.toggle("compact-section-collapsed", collapsed);
    var button = section.querySelector(".compact-section-toggle");
    if (button) {
      button.setAttribute("aria-expanded", collapsed ? "false" : "true");
      button.textContent = collapsed ? gettext("発言と画像を表示") : gettext("発言と画像を隠す");
    }
  }

  function decorateSection(section) {
    if (section.querySelector(".compact-section-toggle")) return;
    var heading = section.querySelector("h3");
    if (!heading) return;
    section.setAttribute("tabindex", "-1");
    var button = element("button", { type: "button", class: "compact-section-toggle", "aria-expanded": "true" });
    var groups = section.querySelectorAll(".djn-group");
    var ids = Array.prototype.map.call(groups, function (group) { return group.id; }).filter(Boolean);
    if (ids.length) button.setAttribute("aria-controls", ids.join(" "));
    heading.appendChild(button);
    setCollapsed(section, false);
  }

  function buildOutline() {
    var list = document.getElementById("compact-outline-list");
    if (!list) return;
    list.textContent = "";
    sections().forEach(function (section, index) {
      var count = section.querySelectorAll(".compact-turn:not(.djn-empty-form)").length;
      var item = element("li");
      var link = element("a", { href: "#" + section.id, "data-section": section.id }, sectionTitle(section, index));
      item.appendChild(link);
      item.appendChild(element("span", { class: "compact-outline-count" }, " " + interpolate(gettext("(発言%(n)s件)"), { n: count })));
      list.appendChild(item);
    });
  }

  function insertOutline(form) {
    var group = document.getElementById("sections-group");
    if (!group) return;
    var nav = element("nav", { id: "compact-outline", class: "module compact-outline", "aria-labelledby": "compact-outline-heading" });
    nav.appendChild(element("h2", { id: "compact-outline-heading" }, gettext("目次(見出しへ移動)")));
    nav.appendChild(element("ol", { id: "compact-outline-list" }));
    var tools = element("p", { class: "compact-outline-tools" });
    var fold = element("button", { type: "button", class: "button", id: "compact-fold-all" }, gettext("すべての見出しを折りたたむ"));
    var unfold = element("button", { type: "button", class: "button", id: "compact-unfold-all" }, gettext("すべて開く"));
    tools.appendChild(fold);
    tools.appendChild(unfold);
    nav.appendChild(tools);
    group.parentNode.insertBefore(nav, group);
    buildOutline();
    fold.addEventListener("click", function () { sections().forEach(function (s) { setCollapsed(s, true); }); });
    unfold.addEventListener("click", function () { sections().forEach(function (s) { setCollapsed(s, false); }); });
  }

  /* --- the save bar: unsaved changes and 発言へ移動 --------------------------------------- */

  function insertBar(form) {
    var bar = form.querySelector(".submit-row");
    if (!bar) return;
    bar.classList.add("compact-save-bar");
    var jump = element("span", { class: "compact-jump", role: "search" });
    var label = element("label", { for: "compact-jump-number" }, gettext("発言へ移動(番号)"));
    var input = element("input", { type: "number", id: "compact-jump-number", min: "1", inputmode: "numeric", "data-compact-ignore": "true" });
    var go = element("button", { type: "button", class: "button", id: "compact-jump-go" }, gettext("開く"));
    jump.appendChild(label);
    jump.appendChild(input);
    jump.appendChild(go);
    var status = element("span", { id: "compact-dirty-status", class: "compact-dirty-status", role: "status" });
    bar.prepend(jump, status);
    function jumpTo() {
      var wanted = parseInt(input.value, 10);
      var row = turns()[wanted - 1];
      if (row) openTurn(row, true);
      else announce(interpolate(gettext("発言%(n)sはありません(全%(count)s件)。"), { n: input.value, count: turns().length }));
    }
    go.addEventListener("click", jumpTo);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // not the form's submit
        jumpTo();
      }
    });
  }

  function announce(text) {
    var status = document.getElementById("compact-dirty-status");
    if (status) status.textContent = text;
  }

  function markDirty() {
    if (dirty) return;
    dirty = true;
    announce(gettext("保存していない変更があります。"));
  }

  /* --- the error summary ----------------------------------------------------------------- */

  function fieldOf(list) {
    if (list.id && /_error$/.test(list.id)) return document.getElementById(list.id.replace(/_error$/, ""));
    if (list.classList.contains("nonfield")) {
      // A turn's own error goes to its first field; the form's (an edit conflict) to no field.
      var turn = list.closest(".compact-turn");
      return turn ? turn.querySelector("select, textarea") : null;
    }
    var row = list.closest(".form-row, .compact-turn, td, .djn-inline-form") || list.parentNode;
    return row.querySelector("input:not([type=hidden]), select, textarea");
  }

  function labelOf(field) {
    if (!field) return "";
    var label = field.id && document.querySelector("label[for='" + field.id + "']");
    var text = label ? label.textContent.replace(/[::]\s*$/, "").trim() : field.name;
    var turn = field.closest(".compact-turn");
    if (turn && turn.dataset.turnNumber) text = interpolate(gettext("発言%(n)s"), { n: turn.dataset.turnNumber }) + " " + text;
    return text;
  }

  function buildErrorSummary(form) {
    var lists = Array.prototype.filter.call(form.querySelectorAll("ul.errorlist"), function (list) {
      return !list.closest(".djn-empty-form") && list.textContent.trim();
    });
    if (!lists.length) return;
    var box = element("div", { id: "compact-error-summary", class: "compact-error-summary", tabindex: "-1", role: "alert", "aria-labelledby": "compact-error-heading" });
    box.appendChild(element("h2", { id: "compact-error-heading" }, interpolate(gettext("%(n)s件の入力エラーがあります"), { n: lists.length })));
    var items = element("ul");
    lists.forEach(function (list) {
      var field = fieldOf(list);
      var item = element("li");
      var text = (labelOf(field) ? labelOf(field) + ": " : "") + list.textContent.trim();
      if (field && field.id) {
        var link = element("a", { href: "#" + field.id, "data-field": field.id }, text);
        item.appendChild(link);
      } else {
        item.textContent = text;
      }
      items.appendChild(item);
    });
    box.appendChild(items);
    var note = form.querySelector(".errornote");
    var anchor = note || form.firstElementChild;
    anchor.parentNode.insertBefore(box, note ? note.nextSibling : anchor);
    box.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-field]");
      if (!link) return;
      event.preventDefault();
      focusField(document.getElementById(link.dataset.field));
    });
    box.focus();
  }

  function focusField(field) {
    if (!field) return;
    expandSectionOf(field);
    var details = field.closest("details");
    if (details) details.open = true;
    field.focus({ preventScroll: true });
    field.scrollIntoView({ block: "center" });
  }

  /* --- the Markdown preview, when asked for ---------------------------------------------- */

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function preview(button, form) {
    var row = button.closest(".compact-turn");
    var area = row.querySelector(".compact-turn-preview");
    if (!area.hidden) {
      area.hidden = true;
      area.textContent = "";
      button.textContent = gettext("プレビューを表示");
      return;
    }
    var url = button.closest("[data-preview-url]").dataset.previewUrl;
    var body = new FormData();
    body.append("content", row.querySelector("textarea").value);
    button.disabled = true;
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(form), "X-Requested-With": "XMLHttpRequest" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        area.innerHTML = html; // rendered and sanitised by the server (articles.markdown)
        area.hidden = false;
        button.textContent = gettext("プレビューを隠す");
      })
      .catch(function () {
        area.textContent = gettext("プレビューを表示できませんでした。時間をおいてもう一度試してください。");
        area.hidden = false;
      })
      .finally(function () { button.disabled = false; });
  }

  /* --- labels for the tabular lists (figures, credits): their column headings ----------- */

  function labelTabularFields() {
    document.querySelectorAll("table.djn-table, .tabular table").forEach(function (table, tableIndex) {
      var headings = table.querySelectorAll("thead tr th");
      headings.forEach(function (th, column) {
        if (!th.id) th.id = "compact-column-" + tableIndex + "-" + column;
        if (!th.textContent.trim()) th.appendChild(element("span", { class: "visually-hidden" }, gettext("行")));
      });
      table.querySelectorAll("tbody td").forEach(function (cell) {
        var th = headings[cell.cellIndex];
        if (!th) return;
        cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
          var labelled = field.id && document.querySelector("label[for='" + field.id + "']");
          if (!labelled && !field.getAttribute("aria-labelledby")) field.setAttribute("aria-labelledby", th.id);
        });
      });
    });
  }

  /* Django's date and time pair (公開日時) has one label for two inputs: name each. */
  function labelDateTimeFields() {
    document.querySelectorAll(".datetime input.vDateField, .datetime input.vTimeField").forEach(function (field) {
      if (field.getAttribute("aria-label") || (field.id && document.querySelector("label[for='" + field.id + "']"))) return;
      var row = field.closest(".form-row, .fieldBox");
      var label = row && row.querySelector("label");
      var name = label ? label.textContent.replace(/[::]\s*$/, "").trim() : "";
      var part = field.classList.contains("vDateField") ? gettext("日付") : gettext("時刻");
      field.setAttribute("aria-label", name ? name + "(" + part + ")" : part);
    });
  }

  /* --- wiring ---------------------------------------------------------------------------- */

  function init() {
    var form = document.getElementById("article_form");
    if (!form || !document.querySelector(".compact-turn")) return;
    form.classList.add("compact-editor");
    sections().forEach(decorateSection);
    numberTurns();
    insertOutline(form);
    insertBar(form);
    buildErrorSummary(form);
    labelTabularFields();
    labelDateTimeFields();

    form.addEventListener("toggle", function (event) {
      var details = event.target;
      if (details.classList && details.classList.contains("compact-turn-details") && details.open) closeOthers(details);
    }, true);

    form.addEventListener("input", function (event) {
      if (event.target.dataset && event.target.dataset.compactIgnore) return;
      markDirty();
      var row = event.target.closest(".compact-turn");
      if (row) refreshSummary(row);
      if (/-heading$/.test(event.target.id)) buildOutline();
    });
    form.addEventListener("change", function (event) {
      if (event.target.dataset && event.target.dataset.compactIgnore) return;
      markDirty();
      var row = event.target.closest(".compact-turn");
      if (row) refreshSummary(row);
    });

    form.addEventListener("click", function (event) {
      var toggle = event.target.closest(".compact-section-toggle");
      if (toggle) {
        var section = toggle.closest(".djn-inline-form");
        setCollapsed(section, !section.classList.contains("compact-section-collapsed"));
        return;
      }
      var link = event.target.closest("#compact-outline a[data-section]");
      if (link) {
        event.preventDefault();
        var target = document.getElementById(link.dataset.section);
        setCollapsed(target, false);
        target.scrollIntoView({ block: "start" });
        target.focus();
        return;
      }
      var button = event.target.closest(".compact-preview-button");
      if (button) {
        preview(button, form);
        return;
      }
      if (event.target.closest(".block-order-button")) markDirty();
      if (event.target.closest(".djn-add-handler, .djn-remove-handler")) {
        markDirty();
        window.setTimeout(function () {
          sections().forEach(decorateSection);
          labelTabularFields();
          numberTurns();
          buildOutline();
          var added = Array.prototype.filter.call(
            document.querySelectorAll(".compact-turn:not(.djn-empty-form) .compact-turn-details[open]"),
            function (details) { return details.closest(".compact-turn").dataset.isInitial !== "true"; }
          ).pop();
          if (added) closeOthers(added);
        }, 0);
      }
    });

    form.addEventListener("submit", function () {
      submitting = true;
    });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty || submitting) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
