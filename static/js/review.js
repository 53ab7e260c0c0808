// The review page's bulk decision (issue 18): "tick every flag of a group" boxes, shown only with
// script, and the number of ticked flags in the bulk bar. The ticks themselves work without it.
"use strict";

(() => {
  const picks = (group) =>
    [...document.querySelectorAll(`input[name=flags][form=bulk-decide]${group ? `[data-group="${group}"]` : ""}`)];
  const count = document.querySelector("[data-picked-count]");

  function refresh() {
    for (const all of document.querySelectorAll("[data-select-all]")) {
      const members = picks(all.dataset.selectAll);
      const ticked = members.filter((box) => box.checked).length;
      all.checked = ticked > 0 && ticked === members.length;
      all.indeterminate = ticked > 0 && ticked < members.length;
    }
    if (count) count.textContent = count.dataset.template.replace("%(count)s", picks().filter((box) => box.checked).length);
  }

  for (const wrap of document.querySelectorAll("[data-select-all-wrap]")) wrap.hidden = false;
  document.addEventListener("change", (event) => {
    const all = event.target.closest("[data-select-all]");
    if (all) for (const box of picks(all.dataset.selectAll)) box.checked = all.checked;
    if (all || event.target.matches("input[name=flags]")) refresh();
  });
  refresh();
})();
