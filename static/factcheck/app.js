// Keyboard shortcuts of the reviewer workspace. Every shortcut only clicks or follows an
// element that is already on the page, so the page works the same without this file.
(function () {
  "use strict";

  function isTyping(el) {
    if (!el) { return false; }
    if (el.tagName === "INPUT") {
      return !/^(checkbox|radio|button|submit|reset)$/.test(el.type);
    }
    return el.isContentEditable || /^(TEXTAREA|SELECT)$/.test(el.tagName);
  }

  function clickEnabled(selector) {
    var el = document.querySelector(selector);
    if (el && !el.disabled) { el.click(); return true; }
    return false;
  }

  function follow(selector) {
    var link = document.querySelector(selector);
    if (link && link.href) { window.location.href = link.href; return true; }
    return false;
  }

  // Queue rows: j/k move a visible cursor, Enter (native) opens the focused link, x selects.
  function moveRow(step) {
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-claim-row]"));
    if (!rows.length) { return false; }
    var current = rows.findIndex(function (r) { return r.classList.contains("is-current"); });
    var next = current === -1 ? (step > 0 ? 0 : rows.length - 1) : current + step;
    if (next < 0 || next >= rows.length) {
      // Past the end of the page: go to the next or previous page if there is one.
      return follow(step > 0 ? ".pager a[rel=next]" : ".pager a[rel=prev]");
    }
    if (current !== -1) { rows[current].classList.remove("is-current"); }
    rows[next].classList.add("is-current");
    var link = rows[next].querySelector("[data-claim-link]");
    if (link) { link.focus(); }
    return true;
  }

  function currentRowCheckbox() {
    var row = document.querySelector("tr.is-current");
    return row && row.querySelector("input[type=checkbox][name=claim]");
  }

  function toggleHelp() {
    var help = document.getElementById("help");
    if (!help) { return; }
    if (help.open) { help.close(); } else { help.showModal(); }
  }

  var onQueue = function () { return !!document.querySelector("tr[data-claim-row]"); };

  var handlers = {
    "?": function () { toggleHelp(); return true; },
    "j": function () { return onQueue() ? moveRow(1) : follow("#next-claim"); },
    "k": function () { return onQueue() ? moveRow(-1) : follow("#previous-claim"); },
    "v": function () { return clickEnabled("button[data-key=v]"); },
    "d": function () { return clickEnabled("button[data-key=d]"); },
    "u": function () { return clickEnabled("button[data-key=u]"); },
    "x": function () {
      if (onQueue()) {
        var box = currentRowCheckbox();
        if (box) { box.checked = !box.checked; return true; }
        return false;
      }
      return clickEnabled("button[data-key=x]");
    },
    "n": function () {
      var note = document.getElementById("note");
      if (note) { note.focus(); return true; }
      return false;
    },
    "a": function () { return clickEnabled("#assign-me"); },
    "/": function () {
      var search = document.querySelector("[data-search]");
      if (search) { search.focus(); return true; }
      return false;
    }
  };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (isTyping(target)) {
      // Esc leaves a field so the single-key shortcuts work again.
      if (event.key === "Escape" && target.tagName !== "SELECT") { target.blur(); }
      return;
    }
    var help = document.getElementById("help");
    if (help && help.open && event.key !== "?") { return; }
    var handler = handlers[event.key];
    if (handler && handler()) { event.preventDefault(); }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-help-open]")) { toggleHelp(); }
  });

  // "Select all" on the queue.
  document.addEventListener("change", function (event) {
    if (event.target.id === "select-all") {
      document.querySelectorAll("input[type=checkbox][name=claim]").forEach(function (box) {
        box.checked = event.target.checked;
      });
    }
  });
})();
