// GOV.UK Frontend's components (header menu, error summary, details, banners).
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

// Content htmx brings in later (a form fetched when its <details> opens, a match's new
// status) gets the same behaviour as the page's own.
document.body.addEventListener("htmx:afterSwap", (event) => initAll({ scope: event.detail.target }));

// "Print or save as PDF" buttons: hidden without JavaScript, where the page says to use the
// browser's own Print command instead.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
  document.querySelector("[data-print-hint]")?.setAttribute("hidden", "");
}
