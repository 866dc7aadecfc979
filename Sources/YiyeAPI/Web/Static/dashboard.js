// The dashboard's live part: when a notice arrives on the notification stream (the session's cookie signs the
// EventSource in), the figures are fetched again from the API and the overdue count is updated in place.
(function () {
  "use strict";
  var kpis = document.querySelector("[data-api-query]");
  if (!kpis || !window.EventSource) return;
  var query = kpis.getAttribute("data-api-query");
  function refresh() {
    fetch("/api/v1/dashboard" + (query ? "?" + query : ""), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (board) {
        if (!board) return;
        var count = String(board.overdueTotal);
        document.querySelectorAll('[data-live="overdue"], [data-kpi="overdue"] .value').forEach(function (element) {
          element.textContent = count;
        });
      })
      .catch(function () {});
  }
  var stream = new EventSource("/api/v1/notifications/stream");
  // Each notice is an event named by its kind; the page lists the kinds.
  kpis.getAttribute("data-live-kinds").split(" ").forEach(function (kind) { stream.addEventListener(kind, refresh); });
})();
