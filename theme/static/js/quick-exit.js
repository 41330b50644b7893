/* Quick exit, after GOV.UK Frontend's "Exit this page".
   The button (a plain link to a neutral site, which works without this
   script) and Shift pressed three times within 5 seconds both blank the
   page at once and leave with location.replace, so this page is not the
   one "Back" returns to. Esc is not used: it stops page loads in browsers.
   No cookies, no storage, no requests: this script only reads the page. */
(function () {
  "use strict";
  var box = document.querySelector("[data-quick-exit]");
  if (!box) { return; }
  var root = document.documentElement;
  var link = box.querySelector("a");
  var status = box.querySelector("[data-quick-exit-status]");
  var presses = 0;
  var timer = null;
  var lastKeyWasModified = false;

  function say(text) {
    if (status) { status.textContent = text || ""; }
  }

  function show(count) {
    presses = count;
    if (count) { box.setAttribute("data-presses", String(count)); }
    else { box.removeAttribute("data-presses"); }
  }

  function reset() {
    if (timer) { window.clearTimeout(timer); timer = null; }
    show(0);
  }

  function exit(event) {
    if (event) { event.preventDefault(); }
    reset();
    root.classList.add("quick-exit-active");
    window.location.replace(link.href);
  }

  function onKeyUp(event) {
    var isShift = event.key === "Shift" || event.keyCode === 16;
    if (isShift && !lastKeyWasModified) {
      show(presses + 1);
      if (presses >= 3) {
        exit(null);
      } else {
        say(box.getAttribute(presses === 1 ? "data-msg-two" : "data-msg-one"));
        if (timer) { window.clearTimeout(timer); }
        timer = window.setTimeout(function () {
          timer = null;
          show(0);
          say(box.getAttribute("data-msg-cancel"));
        }, 5000);
      }
    } else if (timer) {
      reset();
      say("");
    }
    // Shift released after Shift+letter (a capital) does not count.
    lastKeyWasModified = event.shiftKey;
  }

  link.addEventListener("click", exit);
  document.addEventListener("keyup", onKeyUp, true);
  // Coming back from the browser's page cache: show the page again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      root.classList.remove("quick-exit-active");
      reset();
      say("");
    }
  });
}());
