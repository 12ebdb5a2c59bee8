// The portal's only script of its own: after htmx swaps in the server's answer, show or hide
// each question as the evaluation API decided (#hidden-questions carries its list). It
// evaluates no condition itself.
document.addEventListener("htmx:afterSettle", function () {
  var marker = document.getElementById("hidden-questions");
  if (!marker) return;
  var hidden = (marker.getAttribute("data-keys") || "").split(" ").filter(Boolean);
  document.querySelectorAll("[data-question]").forEach(function (field) {
    field.hidden = hidden.indexOf(field.getAttribute("data-question")) !== -1;
  });
});
