// On a phone each row of a list is a card; every cell is labelled with its column's heading.
document.addEventListener("DOMContentLoaded", () => {
  const table = document.getElementById("result_list");
  if (!table) return;
  const headings = [...table.querySelectorAll("thead th")].map((th) => th.innerText.trim());
  for (const row of table.querySelectorAll("tbody tr")) {
    [...row.children].forEach((cell, index) => {
      if (headings[index]) cell.dataset.label = headings[index];
    });
  }
});
