/* Starts the Pagefind search UI on the search page (search.html).
   Everything it needs is in data- attributes of #search: no inline script.
   The index is chosen by the page's <html lang>, so results stay in the
   reader's language. Without this script the page shows a plain notice. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof window.PagefindUI !== "function") {
    return;
  }
  var strings = {};
  try {
    strings = JSON.parse(box.getAttribute("data-translations") || "{}");
  } catch (e) {
    strings = {};
  }
  var ui = new window.PagefindUI({
    element: "#search",
    bundlePath: box.getAttribute("data-bundle"),
    baseUrl: box.getAttribute("data-base-url"),
    translations: strings,
    showImages: false,
    showSubResults: true
  });
  var notice = document.getElementById("search-nojs");
  if (notice) {
    notice.hidden = true;
  }
  // Open /search/?q=word with the word already searched.
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
})();
