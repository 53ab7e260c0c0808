// The report list while a report renders: each pending row asks its status URL every 1.5 s and
// shows the status in place (queued → rendering); once the report is ready or failed, the page
// reloads to show its download link or its reason. Without this script, the page refreshes itself
// (<noscript> refresh in the head).
"use strict";

const PENDING = new Set(["queued", "rendering"]);

async function follow(row) {
  const badge = row.querySelector("[data-report-badge]");
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    let state;
    try {
      const response = await fetch(row.dataset.reportStatusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      state = await response.json();
    } catch {
      return; // offline for a moment: the user can reload
    }
    if (badge) badge.textContent = state.label;
    if (!PENDING.has(state.status)) {
      window.location.reload();
      return;
    }
  }
}

document.querySelectorAll("tr[data-report-status-url]").forEach(follow);
