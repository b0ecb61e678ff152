import Report

/// The dashboard's stylesheet and script, compiled into the binary: the pages work with no network.
enum Assets {
  static func page(_ name: String) throws(DashboardError) -> Page {
    switch name {
    case "dashboard.css": return Page(contentType: "text/css; charset=utf-8", body: Array(css.utf8))
    case "dashboard.js": return Page(contentType: "text/javascript; charset=utf-8", body: Array(script.utf8))
    default: throw .notFound("no asset \(name)")
    }
  }

  static let css =
    Report.htmlStyle + """

      nav[aria-label=site] { display: flex; gap: 1.5rem; align-items: baseline; padding: 0.5rem 1.5rem; border-bottom: 1px solid var(--line); background: #f8f9fa; }
      nav[aria-label=site] a { text-decoration: none; color: var(--fg); }
      .keys { color: var(--muted); font-size: 0.85em; }
      kbd { font: 0.85em ui-monospace, monospace; border: 1px solid #c4c7cc; border-bottom-width: 2px; border-radius: 3px; padding: 0 0.3em; background: #fff; }
      .skip { position: absolute; left: -999px; }
      .skip:focus { left: 0.5rem; top: 0.5rem; background: #fff; padding: 0.3rem 0.6rem; z-index: 2; }
      .state { display: inline-block; padding: 0 0.45em; border-radius: 0.7em; font-size: 0.85em; border: 1px solid currentColor; }
      .s-done { color: #1e6b33; } .s-running { color: #0b57d0; } .s-pending, .s-interrupted { color: #5f6368; }
      .s-failed, .s-diverged, .s-timed-out { color: #b3261e; font-weight: 600; }
      table.cells tbody tr.current { background: #fff6d6; }
      table.cells tbody tr:hover { background: #f3f6fb; }
      dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; }
      dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
      pre.stderr { background: #fff4f2; border-left: 3px solid #b3261e; max-height: 18rem; }
      pre.config, pre.diff { max-height: 28rem; }
      .counts strong { font-size: 1.1em; }
      .filter input { margin-left: 0.4rem; padding: 0.2rem 0.4rem; }
      form.compare { margin: 0.6rem 0; display: flex; gap: 0.8rem; align-items: center; }
      details { margin: 0.4rem 0; }
      """

  /// Live counts by a short poll of /api/experiments (every 2 s, only while the tab is visible), and the
  /// keyboard: h home, j/k move through table rows, Enter opens the row's first link, / filters rows.
  static let script = """
    "use strict";
    (function () {
      const live = document.body.dataset.live;
      async function poll() {
        if (document.hidden) return;
        try {
          const response = await fetch(live, { credentials: "same-origin", cache: "no-store" });
          if (!response.ok) return;
          for (const experiment of await response.json()) {
            for (const [state, value] of Object.entries(experiment.counts)) {
              for (const el of document.querySelectorAll("[data-count]")) {
                if (el.dataset.count === experiment.name + "|" + state && el.textContent !== String(value)) {
                  el.textContent = String(value);
                }
              }
            }
          }
        } catch (e) { /* the server may be restarting; try again at the next tick */ }
      }
      if (live) setInterval(poll, 2000);

      const rows = () => Array.from(document.querySelectorAll("table[data-rows] tbody tr")).filter(r => !r.hidden);
      let current = -1;
      function move(delta) {
        const all = rows();
        if (!all.length) return;
        if (current >= 0 && all[current]) all[current].classList.remove("current");
        current = Math.max(0, Math.min(all.length - 1, current + delta));
        all[current].classList.add("current");
        all[current].scrollIntoView({ block: "nearest" });
        const link = all[current].querySelector("a");
        if (link) link.focus({ preventScroll: true });
      }
      document.addEventListener("keydown", (event) => {
        if (event.target.matches("input, select, textarea") || event.ctrlKey || event.metaKey || event.altKey) return;
        if (event.key === "j") { move(1); event.preventDefault(); }
        else if (event.key === "k") { move(-1); event.preventDefault(); }
        else if (event.key === "h") { window.location.href = "/"; }
        else if (event.key === "/") {
          const filter = document.querySelector("[data-filter]");
          if (filter) { filter.focus(); event.preventDefault(); }
        }
      });
      const filter = document.querySelector("[data-filter]");
      if (filter) {
        filter.addEventListener("input", () => {
          const words = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);
          for (const row of document.querySelectorAll("table[data-rows] tbody tr")) {
            const text = row.textContent.toLowerCase();
            row.hidden = !words.every(w => text.includes(w));
          }
          current = -1;
        });
      }
    })();
    """
}
