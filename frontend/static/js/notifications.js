// Live notifications for signed-in pages: the badge's unread count and a toast for each new
// notification, over ws/notifications/ (the session cookie authenticates). Resumes after the
// last place (seq) seen, so a dropped connection loses nothing; reconnects with a growing
// delay. Closed with 4401 (signed out) it stops; with anything else it reconnects.
(function () {
  "use strict";
  // One badge in the menu, one beside it for phones, where the menu starts collapsed.
  var badges = document.querySelectorAll("[data-unread-badge]");
  var toast = document.querySelector("[data-toast]");
  // The page was rendered with everything up to this place (badge included): resume from it.
  var lastSeq = Number(document.body.dataset.lastNotification || 0);
  var delay = 1000;

  function show(count) {
    badges.forEach(function (badge) {
      badge.textContent = String(count);
      badge.hidden = count === 0;
    });
  }

  function announce(message) {
    if (!toast) return;
    var box = document.createElement("div");
    box.className = "govuk-notification-banner";
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "New notification");
    box.innerHTML = '<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading"></p></div>';
    var link = document.createElement("a");
    link.className = "govuk-notification-banner__link";
    link.href = message.url;
    link.textContent = message.text;
    box.querySelector("p").appendChild(link);
    // On a phone the toast covers part of the page: it can be dismissed at once.
    var dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "govuk-link app-link-button app-toast__dismiss";
    dismiss.textContent = "Dismiss";
    dismiss.setAttribute("aria-label", "Dismiss this notification");
    dismiss.addEventListener("click", function () { box.remove(); });
    box.querySelector(".govuk-notification-banner__content").appendChild(dismiss);
    toast.replaceChildren(box);
    setTimeout(function () { if (box.parentNode) box.remove(); }, 10000);
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toast) toast.replaceChildren();
  });

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/ws/notifications/", ["notifications"]);
    var live = false;
    socket.onopen = function () {
      delay = 1000;
      socket.send(JSON.stringify({ type: "resume", after: lastSeq }));
    };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "notification") {
        lastSeq = Math.max(lastSeq, message.seq);
        if (live) announce(message);
        document.dispatchEvent(new CustomEvent("notification", { detail: message }));
      } else if (message.type === "unread_count") {
        live = true; // the replay is over: what comes now is new
        document.body.dataset.notifications = "live";
        show(message.count);
      }
    };
    socket.onclose = function (event) {
      delete document.body.dataset.notifications;
      if (event.code === 4401) return; // signed out
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
