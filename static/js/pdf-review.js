// PDF import review: selecting a claim row outlines where it was read on the page images.
// Boxes are [page, x0, top, x1, bottom] in PDF points; images are scaled to their width.
(function () {
  "use strict";
  const table = document.querySelector(".pdf-table");
  if (!table) return;
  const marks = [];

  function clear() {
    while (marks.length) marks.pop().remove();
    table.querySelectorAll("tr.selected").forEach(function (row) { row.classList.remove("selected"); });
  }

  function show(row) {
    clear();
    row.classList.add("selected");
    const boxes = JSON.parse(row.dataset.boxes || "[]");
    const byPage = {};
    boxes.forEach(function (b) {
      const u = byPage[b[0]];
      byPage[b[0]] = u ? [Math.min(u[0], b[1]), Math.min(u[1], b[2]), Math.max(u[2], b[3]), Math.max(u[3], b[4])]
                       : [b[1], b[2], b[3], b[4]];
    });
    let first = null;
    Object.keys(byPage).forEach(function (page) {
      const holder = document.querySelector('.pdf-page[data-page="' + page + '"]');
      if (!holder) return;
      const img = holder.querySelector("img");
      const points = Number(img.getAttribute("width")) / Number(table.dataset.scale);
      const k = img.clientWidth / points;
      const box = byPage[page];
      const mark = document.createElement("div");
      mark.className = "pdf-mark";
      mark.style.left = (box[0] * k - 3) + "px";
      mark.style.top = (box[1] * k - 3) + "px";
      mark.style.width = ((box[2] - box[0]) * k + 6) + "px";
      mark.style.height = ((box[3] - box[1]) * k + 6) + "px";
      holder.appendChild(mark);
      marks.push(mark);
      if (!first) first = mark;
    });
    if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  table.addEventListener("focusin", function (event) {
    const row = event.target.closest("tr.pdf-row");
    if (row && !row.classList.contains("selected")) show(row);
  });
  table.addEventListener("click", function (event) {
    const row = event.target.closest("tr.pdf-row");
    if (row) show(row);
  });
})();
