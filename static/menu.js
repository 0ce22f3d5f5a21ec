/* The phone menu (templates/base.html): a "Menu" button that shows and hides the main menu, GOV.UK's disclosure.
   Loaded in <head> (no inline script: the Content-Security-Policy allows only the site's own files), it marks the page
   at once, so the stylesheet folds the menu on narrow screens before the first paint; without this script the menu is
   a plain list and the button stays hidden. Enter and Space open and close (a <button>), Escape closes it and returns
   to the button; aria-expanded says which. */
document.documentElement.classList.add("has-menu-button");
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".menu-toggle");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  var header = button.closest("header");
  function show(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("menu-open", open);
  }
  button.hidden = false;
  button.addEventListener("click", function () { show(button.getAttribute("aria-expanded") !== "true"); });
  header.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      show(false);
      button.focus();
    }
  });
});
