// Progressive enhancement only: every page works without this file.
// "Salin tautan" copies the article's address instead of following the link, and says so in a
// live region that screen readers announce.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-copy]");
  if (!link || !navigator.clipboard) return;
  event.preventDefault();
  navigator.clipboard.writeText(link.href).then(function () {
    var status = document.querySelector("[data-copy-status]");
    link.dataset.label = link.dataset.label || link.textContent;
    link.textContent = "\u2713 " + link.dataset.label;
    if (status) status.textContent = status.dataset.copied;
  });
});
