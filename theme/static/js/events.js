/* Events: re-split upcoming and past by the reader's clock.
   The build split them already; a static site ages between builds, so this
   moves events that have ended since into "Past events" and, on the home
   page, shows the next three that have not. Without JavaScript the build's
   split stands. No network, no storage. */
(function () {
  "use strict";
  var now = Date.now();
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var time = function (li, name) { return Date.parse(li.getAttribute(name)); };
  var isPast = function (li) { return time(li, "data-end") <= now; };

  function fill(section, items, headings) {
    var box = section.querySelector(".event-months");
    var month = null;
    var list = null;
    while (box.firstChild) { box.removeChild(box.firstChild); }
    items.forEach(function (li) {
      var key = li.getAttribute("data-month");
      if (key !== month) {
        month = key;
        var group = document.createElement("section");
        var heading = document.createElement("h3");
        group.className = "event-month";
        group.setAttribute("data-month", key);
        heading.textContent = headings[key] || key;
        list = document.createElement("ul");
        list.className = "event-list";
        group.appendChild(heading);
        group.appendChild(list);
        box.appendChild(group);
      }
      list.appendChild(li);
    });
    var none = section.querySelector(".events-none");
    if (none) { none.hidden = items.length > 0; }
  }

  var upcoming = document.querySelector('[data-events="upcoming"]');
  var past = document.querySelector('[data-events="past"]');
  if (upcoming && past) {
    var items = Array.prototype.slice.call(document.querySelectorAll(".event-months li[data-end]"));
    var moved = items.some(function (li) { return isPast(li) !== past.contains(li); });
    if (moved) {
      var headings = {};
      each(document.querySelectorAll(".event-month[data-month]"), function (group) {
        headings[group.getAttribute("data-month")] = group.querySelector("h3").textContent;
      });
      fill(upcoming, items.filter(function (li) { return !isPast(li); })
        .sort(function (a, b) { return time(a, "data-start") - time(b, "data-start"); }), headings);
      fill(past, items.filter(isPast)
        .sort(function (a, b) { return time(b, "data-start") - time(a, "data-start"); }), headings);
    }
  }

  each(document.querySelectorAll('[data-events="home"]'), function (home) {
    var shown = 0;
    each(home.querySelectorAll("li[data-end]"), function (li) {
      var show = !isPast(li) && shown < 3;
      li.hidden = !show;
      if (show) { shown += 1; }
    });
  });
})();
