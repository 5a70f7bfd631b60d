// Kiosk: send the tablet back to the start screen, so the next person never sees the previous
// one's dossier. A page opts in on <body>: data-kiosk-home (where to go), data-kiosk-after
// (seconds), data-kiosk-idle (restart the count at every touch or key). No inline script: the
// site's Content-Security-Policy forbids it. The thank-you page also has a <meta refresh>.
(function () {
  "use strict";
  var body = document.body;
  var home = body.getAttribute("data-kiosk-home");
  var after = parseInt(body.getAttribute("data-kiosk-after") || "0", 10);
  if (!home || !(after > 0)) {
    return;
  }
  var left = after;
  var leaving = false;
  var counter = document.querySelector("[data-kiosk-countdown]");
  if (body.hasAttribute("data-kiosk-idle")) {
    ["pointerdown", "keydown", "input"].forEach(function (name) {
      document.addEventListener(name, function () { left = after; }, true);
    });
  }
  window.setInterval(function () {
    left -= 1;
    if (counter) {
      counter.textContent = String(Math.max(left, 0));
    }
    if (left <= 0 && !leaving) {
      leaving = true;
      window.location.replace(home);
    }
  }, 1000);
})();
