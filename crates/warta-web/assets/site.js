// Progressive enhancement only: every page works without this file.
// "Salin tautan" copies the article's address instead of following the link.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-copy]");
  if (!link || !navigator.clipboard) return;
  event.preventDefault();
  navigator.clipboard.writeText(link.href).then(function () {
    link.setAttribute("aria-live", "polite");
    link.dataset.label = link.dataset.label || link.textContent;
    link.textContent = "✓ " + link.dataset.label;
  });
});
