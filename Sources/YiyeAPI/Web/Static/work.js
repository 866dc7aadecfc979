// 我的待办, live: when a notice arrives on the notification stream (the session's cookie signs the EventSource in),
// the agenda is fetched again from the API and the counts are updated in place; a note offers to reload the list.
(function () {
  "use strict";
  var counts = document.querySelector("[data-live-kinds]");
  if (!counts || !window.EventSource) return;
  function refresh() {
    fetch("/api/v1/agenda", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (agenda) {
        if (!agenda) return;
        counts.querySelector('[data-live="total"]').textContent = String(agenda.items.length);
        var list = counts.querySelector("ul");
        list.textContent = "";
        agenda.counts.forEach(function (count) {
          var item = document.createElement("li");
          item.setAttribute("data-count", count.kind);
          item.textContent = count.label + " ";
          var number = document.createElement("strong");
          number.textContent = String(count.count);
          item.appendChild(number);
          list.appendChild(item);
        });
        if (!counts.querySelector(".changed")) {
          var note = document.createElement("p");
          note.className = "changed";
          var link = document.createElement("a");
          link.href = "/work";
          link.textContent = "待办已更新，点击刷新列表";
          note.appendChild(link);
          counts.appendChild(note);
        }
      })
      .catch(function () {});
  }
  var stream = new EventSource("/api/v1/notifications/stream");
  counts.getAttribute("data-live-kinds").split(" ").forEach(function (kind) { stream.addEventListener(kind, refresh); });
})();
