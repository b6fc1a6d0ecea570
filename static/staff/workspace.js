// The edit form opens when the address asks for it (after "Save and continue editing", or a link to #edit).
(function () {
  var edit = document.getElementById("edit");
  function open() { if (edit && window.location.hash === "#edit") { edit.open = true; } }
  open();
  window.addEventListener("hashchange", open);
})();
