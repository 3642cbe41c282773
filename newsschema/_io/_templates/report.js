(function () {
  "use strict";
  // NEWSSCHEMA_INDEX (set just before this file by the page) holds the index of a page
  // of many articles, or null. Everything from it reaches the page as textContent only.
  var data = typeof NEWSSCHEMA_INDEX === "undefined" ? null : NEWSSCHEMA_INDEX;
  var words = function (value) { return value ? value.split(" ") : []; };
  var all = function (selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); };
  var marks = function () { return all("mark[data-records]"); };
  var cards = function () { return all(".record"); };

  function flash(element) {
    element.classList.remove("flash");
    void element.offsetWidth;
    element.classList.add("flash");
  }

  function switchedOff() {
    var off = {};
    all("input[data-filter]").forEach(function (box) {
      if (!box.checked) { off[box.getAttribute("data-filter") + ":" + box.value] = true; }
    });
    return off;
  }

  function applyFilters() {
    var off = switchedOff();
    var hidden = {};
    var shown = 0;
    var shownCards = cards();
    shownCards.forEach(function (card) {
      var hide = Boolean(off["type:" + card.getAttribute("data-type")] ||
        off["status:" + card.getAttribute("data-status")]);
      card.hidden = hide;
      if (hide) { hidden[card.id] = true; } else { shown += 1; }
    });
    marks().forEach(function (mark) {
      var visible = words(mark.getAttribute("data-records")).some(function (id) { return !hidden[id]; });
      mark.classList.toggle("dim", !visible);
    });
    var counter = document.getElementById("shown");
    if (counter) {
      counter.textContent = data && data.on_demand && !shownCards.length
        ? "no article open: choose one in the index"
        : shown + " of " + shownCards.length + " records shown";
    }
    if (data) { applyIndex(off); }
  }

  function focusRecord(id, on) {
    marks().forEach(function (mark) {
      if (words(mark.getAttribute("data-records")).indexOf(id) >= 0) { mark.classList.toggle("focus", on); }
    });
  }

  // Page furniture often comes first: open each article's text at its first highlight.
  function openTexts(root) {
    root.querySelectorAll("pre.article-text").forEach(function (text) {
      var first = text.querySelector("mark");
      if (first) {
        text.scrollTop += first.getBoundingClientRect().top - text.getBoundingClientRect().top - 24;
      }
    });
  }

  // ---- the index of many articles ------------------------------------------------------
  var limit = 300;
  var current = null;

  function value(id) {
    var element = document.getElementById(id);
    return element ? element.value.trim() : "";
  }

  function cell(row, text, className) {
    var td = document.createElement("td");
    td.textContent = text === null || text === undefined ? "" : String(text);
    if (className) { td.className = className; }
    row.appendChild(td);
    return td;
  }

  function matches(event, off, query, actor, from, to) {
    if (off["type:" + event[2]] || off["status:" + event[3]]) { return false; }
    var names = event[7].map(function (i) { return data.actors[i]; });
    if (actor && !names.some(function (n) { return n.toLowerCase().indexOf(actor) >= 0; })) { return false; }
    if (from || to) {
      if (!event[5]) { return false; }
      if (from && (event[6] || event[5]) < from) { return false; }
      if (to && event[5] > to) { return false; }
    }
    if (query) {
      var article = data.articles[event[1] - 1];
      var haystack = [event[4], names.join(" "), event[8].join(" "), article[1], article[2]].join(" ").toLowerCase();
      if (query.split(/\s+/).some(function (w) { return haystack.indexOf(w) < 0; })) { return false; }
    }
    return true;
  }

  function applyIndex(off) {
    var query = value("q").toLowerCase();
    var actor = value("actor").toLowerCase();
    var from = value("from");
    var to = value("to");
    var found = data.events.filter(function (e) { return matches(e, off, query, actor, from, to); });
    var perArticle = {};
    found.forEach(function (e) { perArticle[e[1]] = (perArticle[e[1]] || 0) + 1; });
    var filtering = Boolean(query || actor || from || to) || Object.keys(off).length > 0;
    var articles = data.articles.filter(function (a) {
      if (perArticle[a[0]]) { return true; }
      if (!filtering) { return true; }
      return Boolean(query) && !actor && !from && !to &&
        (a[1] + " " + a[2]).toLowerCase().indexOf(query) >= 0;
    });
    var articleBody = document.querySelector("#index-articles tbody");
    var eventBody = document.querySelector("#index-events tbody");
    var rows = document.createDocumentFragment();
    articles.slice(0, limit).forEach(function (a) {
      var row = document.createElement("tr");
      row.setAttribute("data-open", "a" + a[0]);
      if (current === a[0]) { row.className = "current"; }
      cell(row, a[1], "article-id");
      cell(row, a[3] || "unknown");
      cell(row, a[2] || "(no headline)");
      cell(row, (perArticle[a[0]] || 0) + " of " + a[4]);
      rows.appendChild(row);
    });
    articleBody.replaceChildren(rows);
    rows = document.createDocumentFragment();
    found.slice(0, limit).forEach(function (e) {
      var row = document.createElement("tr");
      row.setAttribute("data-open", "a" + e[1]);
      row.setAttribute("data-record", e[0]);
      var date = e[5] ? (e[6] && e[6] !== e[5] ? e[5] + " to " + e[6] : e[5]) : "";
      cell(row, date);
      cell(row, e[2], "badge " + (data.css[e[2]] || ""));
      cell(row, e[3]);
      cell(row, e[4]);
      cell(row, data.articles[e[1] - 1][1], "article-id");
      rows.appendChild(row);
    });
    eventBody.replaceChildren(rows);
    var more = document.getElementById("index-more");
    more.hidden = found.length <= limit && articles.length <= limit;
    document.getElementById("index-shown").textContent =
      found.length + " of " + data.events.length + " events in " + articles.length + " of " +
      data.articles.length + " articles match" +
      (found.length > limit ? " (the first " + limit + " listed)" : "");
  }

  function openArticle(number, recordId) {
    current = number;
    var section = document.getElementById("a" + number);
    if (data && data.on_demand) {
      var template = document.getElementById("tpl-a" + number);
      var detail = document.getElementById("detail");
      if (!template || !detail) { return; }
      detail.replaceChildren(template.content.cloneNode(true));
      section = document.getElementById("a" + number);
      openTexts(detail);
    }
    applyFilters();
    var target = (recordId && document.getElementById(recordId)) || section;
    if (target) { target.scrollIntoView({ block: "start" }); flash(target); }
  }

  function fillActors() {
    var list = document.getElementById("actor-names");
    if (!list) { return; }
    var options = document.createDocumentFragment();
    data.actors.slice().sort().forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      options.appendChild(option);
    });
    list.replaceChildren(options);
  }

  // ---- events ----------------------------------------------------------------------------
  document.addEventListener("change", function (event) {
    if (event.target.matches("input[data-filter], #from, #to, #actor")) { applyFilters(); }
  });
  document.addEventListener("input", function (event) {
    if (event.target.matches("#q, #actor")) { limit = 300; applyFilters(); }
  });
  document.addEventListener("submit", function (event) { event.preventDefault(); });
  document.addEventListener("mouseover", function (event) {
    var card = event.target.closest(".record");
    cards().forEach(function (other) { if (other !== card) { focusRecord(other.id, false); } });
    if (card) { focusRecord(card.id, true); }
  });
  document.addEventListener("click", function (event) {
    var bar = event.target.closest("rect[data-from]");
    if (bar) {
      document.getElementById("from").value = bar.getAttribute("data-from");
      document.getElementById("to").value = bar.getAttribute("data-to");
      applyFilters();
      return;
    }
    if (event.target.closest("#clear")) {
      ["q", "actor", "from", "to"].forEach(function (id) { document.getElementById(id).value = ""; });
      all("input[data-filter]").forEach(function (box) { box.checked = true; });
      applyFilters();
      return;
    }
    if (event.target.closest("#index-more")) { limit += 300; applyFilters(); return; }
    var row = event.target.closest("tr[data-open]");
    if (row) {
      openArticle(Number(row.getAttribute("data-open").slice(1)), row.getAttribute("data-record"));
      return;
    }
    var jump = event.target.closest("button[data-ev-ref]");
    if (jump) {
      var id = jump.getAttribute("data-ev-ref");
      var target = marks().filter(function (m) { return words(m.getAttribute("data-ev")).indexOf(id) >= 0; });
      if (target.length) { target[0].scrollIntoView({ block: "center" }); target.forEach(flash); }
      return;
    }
    var mark = event.target.closest("mark[data-records]");
    if (mark && !mark.classList.contains("dim")) {
      var found = words(mark.getAttribute("data-records")).map(function (recordId) {
        return document.getElementById(recordId);
      }).filter(function (card) { return card && !card.hidden; });
      if (found.length) { found[0].scrollIntoView({ block: "nearest" }); found.forEach(flash); }
    }
  });
  if (data) { fillActors(); }
  openTexts(document);
  applyFilters();
}());
