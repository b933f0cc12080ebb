// GOV.UK Frontend's components (header menu, error summary, details, banners).
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

// Content htmx brings in later (a form fetched when its <details> opens, a match's new
// status) gets the same behaviour as the page's own.
document.body.addEventListener("htmx:afterSwap", (event) => {
  initAll({ scope: event.detail.target });
  stackTables(event.detail.target);
});

// Wide tables stack on a phone (see .app-table--stack): each cell is given its column's
// name, so the number that matters is on screen beside what it is, not off to the side.
function stackTables(scope) {
  for (const table of scope.querySelectorAll(".app-table-scroll > table")) {
    const names = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    if (!names.length || table.querySelector("[colspan]")) continue;
    for (const row of table.querySelectorAll("tbody tr")) {
      [...row.children].forEach((cell, i) => {
        if (names[i]) cell.dataset.label = names[i];
      });
    }
    table.classList.add("app-table--stack");
  }
}
stackTables(document);

// "Print or save as PDF" buttons: hidden without JavaScript, where the page says to use the
// browser's own Print command instead.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
  document.querySelector("[data-print-hint]")?.setAttribute("hidden", "");
}

// A match page's message thread is fetched again when a message on this match arrives over
// the notification socket (notifications.js dispatches each one as a "notification" event).
document.addEventListener("notification", async (event) => {
  const { kind, subject } = event.detail;
  const thread = document.querySelector("[data-thread]");
  if (!thread || kind !== "match_message" || subject?.type !== "match") return;
  if (String(subject.id) !== thread.dataset.threadMatch) return;
  const response = await fetch(thread.dataset.thread, { headers: { Accept: "text/html" } });
  if (response.ok) thread.outerHTML = await response.text();
});
