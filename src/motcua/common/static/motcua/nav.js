/* The header on narrow screens: the Menu button shows and hides the navigation. Account menus
   (<details>) close on Escape or a click elsewhere. Without this script the navigation is
   simply always shown, stacked. No inline script: this file is allowed by script-src 'self'. */
(function () {
  "use strict";
  var header = document.querySelector(".site-header");
  if (!header) {
    return;
  }
  var button = header.querySelector(".nav-button");
  var panel = button && document.getElementById(button.getAttribute("aria-controls"));

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("nav-open", open);
  }

  if (button && panel) {
    header.classList.add("has-nav-button");
    button.hidden = false;
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
  }

  function closeMenus(except) {
    header.querySelectorAll("details.account-menu[open]").forEach(function (menu) {
      if (menu !== except) {
        menu.removeAttribute("open");
      }
    });
  }

  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest && event.target.closest("details.account-menu"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    closeMenus(null);
    if (button && header.classList.contains("nav-open")) {
      setOpen(false);
      button.focus();
    }
  });
})();
