(function () {
  "use strict";
  var marks = Array.prototype.slice.call(document.querySelectorAll("mark[data-records]"));
  var cards = Array.prototype.slice.call(document.querySelectorAll(".record"));
  var words = function (value) { return value ? value.split(" ") : []; };

  function flash(element) {
    element.classList.remove("flash");
    void element.offsetWidth;
    element.classList.add("flash");
  }

  function applyFilters() {
    var off = {};
    document.querySelectorAll("input[data-filter]").forEach(function (box) {
      if (!box.checked) { off[box.getAttribute("data-filter") + ":" + box.value] = true; }
    });
    var hidden = {};
    var shown = 0;
    cards.forEach(function (card) {
      var hide = Boolean(off["type:" + card.getAttribute("data-type")] ||
        off["status:" + card.getAttribute("data-status")]);
      card.hidden = hide;
      if (hide) { hidden[card.id] = true; } else { shown += 1; }
    });
    marks.forEach(function (mark) {
      var visible = words(mark.getAttribute("data-records")).some(function (id) { return !hidden[id]; });
      mark.classList.toggle("dim", !visible);
    });
    var counter = document.getElementById("shown");
    if (counter) { counter.textContent = shown + " of " + cards.length + " records shown"; }
  }

  function focusRecord(id, on) {
    marks.forEach(function (mark) {
      if (words(mark.getAttribute("data-records")).indexOf(id) >= 0) { mark.classList.toggle("focus", on); }
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("input[data-filter]")) { applyFilters(); }
  });
  document.addEventListener("mouseover", function (event) {
    var card = event.target.closest(".record");
    cards.forEach(function (other) { if (other !== card) { focusRecord(other.id, false); } });
    if (card) { focusRecord(card.id, true); }
  });
  document.addEventListener("click", function (event) {
    var jump = event.target.closest("button[data-ev-ref]");
    if (jump) {
      var id = jump.getAttribute("data-ev-ref");
      var target = marks.filter(function (m) { return words(m.getAttribute("data-ev")).indexOf(id) >= 0; });
      if (target.length) { target[0].scrollIntoView({ block: "center" }); target.forEach(flash); }
      return;
    }
    var mark = event.target.closest("mark[data-records]");
    if (mark && !mark.classList.contains("dim")) {
      var found = words(mark.getAttribute("data-records")).map(function (id) {
        return document.getElementById(id);
      }).filter(function (card) { return card && !card.hidden; });
      if (found.length) { found[0].scrollIntoView({ block: "nearest" }); found.forEach(flash); }
    }
  });
  // Page furniture often comes first: open each article's text at its first highlight.
  document.querySelectorAll("pre.article-text").forEach(function (text) {
    var first = text.querySelector("mark");
    if (first) {
      text.scrollTop += first.getBoundingClientRect().top - text.getBoundingClientRect().top - 24;
    }
  });
  applyFilters();
}());
