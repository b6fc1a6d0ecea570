// On a phone each row of a list or of a tabular inline is a card; every cell is labelled with its column's heading.
document.addEventListener("DOMContentLoaded", () => {
  for (const table of document.querySelectorAll("#result_list, .inline-group .tabular table")) {
    // A sorted column's heading also holds its sort controls and priority number; the label is its text alone.
    const headings = [...table.querySelectorAll("thead th")].map((th) => (th.querySelector(".text") || th).textContent.trim());
    for (const row of table.querySelectorAll("tbody tr")) {
      [...row.children].forEach((cell, index) => {
        if (headings[index]) cell.dataset.label = headings[index];
      });
    }
  }
});
