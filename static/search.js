/* The site's only script: on the search page, Pagefind's UI (pagefind/pagefind-ui.js, loaded before this
   file) in #search. Pagefind chooses the index and the direction from <html lang>; its labels are the site's
   (data-translations: data/strings/<lang>.yaml's search_ui_* texts), where Pagefind's own Hebrew is masculine.
   The index spells Hebrew words with their particles apart (ו_ה_שותפות, so that שותפות finds
   והשותפות: sitegen/output/search.py); the "_" are removed from what is shown. */
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || typeof window.PagefindUI !== "function") {
    return;
  }
  var joined = /([\u05d0-\u05ea])_(?=[\u05d0-\u05ea])/g;
  function clean(text) {
    return typeof text === "string" ? text.replace(joined, "$1") : text;
  }
  function cleanResult(result) {
    result.excerpt = clean(result.excerpt);
    if (result.meta) {
      result.meta.title = clean(result.meta.title);
    }
    (result.sub_results || []).forEach(function (sub) {
      sub.title = clean(sub.title);
      sub.excerpt = clean(sub.excerpt);
    });
    return result;
  }
  var translations = {};
  try {
    translations = JSON.parse(root.getAttribute("data-translations") || "{}");
  } catch (ignored) {
    translations = {};  // Pagefind's own labels for the language
  }
  var ui = new window.PagefindUI({
    element: "#search",
    translations: translations,  // the site's labels (data/strings/<lang>.yaml, search_ui_*) over Pagefind's
    bundlePath: root.getAttribute("data-bundle"),
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    autofocus: false,  // the first Tab stop stays the skip link; the box is the first control after the header
    processResult: cleanResult
  });
  document.querySelectorAll(".search-noscript").forEach(function (note) {
    note.hidden = true;
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
})();
