"use strict";
// Filter and sort the report's tables in place; rows are moved and hidden, never rebuilt from text.
// The fragment sets both on load: #filter=critical%20uploads&sort=findings.confidence.desc
(function () {
  const tables = Array.from(document.querySelectorAll("table[data-table]"));
  const box = document.getElementById("filter");

  function cellValue(row, index, numeric) {
    const cell = row.cells[index];
    const raw = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent;
    return numeric ? Number(raw.replace(/,/g, "")) : raw.trim().toLowerCase();
  }

  function sortTable(table, index, descending) {
    const header = table.tHead.rows[0].cells[index];
    const numeric = header.dataset.sort === "num";
    const body = table.tBodies[0];
    const sign = descending ? -1 : 1;
    const rows = Array.from(body.rows);
    rows.sort(function (a, b) {
      const x = cellValue(a, index, numeric);
      const y = cellValue(b, index, numeric);
      return sign * (numeric ? x - y : x.localeCompare(y));
    });
    for (const row of rows) {
      body.appendChild(row);
    }
    for (const cell of table.tHead.rows[0].cells) {
      cell.removeAttribute("aria-sort");
    }
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  function applyFilter(text) {
    const terms = text.toLowerCase().split(/\s+/).filter(Boolean);
    for (const table of tables) {
      const rows = Array.from(table.tBodies[0].rows);
      let shown = 0;
      for (const row of rows) {
        const haystack = row.textContent.toLowerCase();
        const match = terms.every(function (term) { return haystack.includes(term); });
        row.hidden = !match;
        shown += match ? 1 : 0;
      }
      table.dataset.shown = String(shown);
      const counter = document.getElementById(table.dataset.table + "-shown");
      if (counter) {
        counter.textContent = terms.length ? shown + " of " + rows.length + " shown" : "";
      }
    }
  }

  function applyFragment() {
    const params = new URLSearchParams(window.location.hash.slice(1));
    const filter = params.get("filter");
    if (filter !== null) {
      box.value = filter;
      applyFilter(filter);
    }
    const sort = (params.get("sort") || "").split(".");
    const table = document.querySelector('table[data-table="' + CSS.escape(sort[0]) + '"]');
    if (table && sort.length > 1) {
      const header = table.querySelector('th[data-key="' + CSS.escape(sort[1]) + '"]');
      if (header) {
        sortTable(table, header.cellIndex, sort[2] === "desc");
      }
    }
  }

  for (const table of tables) {
    for (const header of table.tHead.rows[0].cells) {
      header.querySelector("button").addEventListener("click", function () {
        sortTable(table, header.cellIndex, header.getAttribute("aria-sort") === "ascending");
      });
    }
  }
  box.addEventListener("input", function () { applyFilter(box.value); });
  window.addEventListener("hashchange", applyFragment);
  applyFilter("");
  applyFragment();
  document.documentElement.dataset.ready = "true";  // the tests' sign that this ran to the end
})();
