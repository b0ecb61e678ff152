extension Report {
  /// The one stylesheet of the HTML report and the dashboard: readable on a laptop, system fonts only,
  /// tables that break across printed pages without splitting a row, plots that fit the page.
  public static let htmlStyle = """
    :root { color-scheme: light; --fg: #1b1b1b; --muted: #5f6368; --line: #d0d4d9; --accent: #0b57d0; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); background: #fff; }
    main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
    h1 { font-size: 1.5rem; margin: 0.6rem 0 0.8rem; }
    h2 { font-size: 1.15rem; margin: 1.6rem 0 0.6rem; }
    a { color: var(--accent); }
    a:focus-visible, button:focus-visible, select:focus-visible, input:focus-visible, tr:focus-visible { outline: 3px solid #f2b300; outline-offset: 1px; }
    code { font: 0.9em ui-monospace, "DejaVu Sans Mono", monospace; background: #f3f4f6; padding: 0 0.25em; border-radius: 3px; }
    pre { font: 0.85em/1.4 ui-monospace, "DejaVu Sans Mono", monospace; background: #f6f8fa; padding: 0.6rem 0.8rem; overflow-x: auto; border-radius: 4px; }
    table { border-collapse: collapse; margin: 0.4rem 0 0.8rem; font-variant-numeric: tabular-nums; }
    caption { caption-side: top; text-align: left; color: var(--muted); padding-bottom: 0.3rem; }
    th, td { padding: 0.28rem 0.6rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
    thead th { border-bottom: 2px solid #8a9099; white-space: nowrap; }
    .num { text-align: right; white-space: nowrap; }
    .paper { color: var(--muted); }
    tr.reference th, tr.reference td { color: var(--muted); font-style: italic; }
    .hole { font-weight: 600; color: #b3261e; }
    .missing, .note { color: var(--muted); }
    .note { font-size: 0.9em; }
    figure { margin: 1rem 0; }
    figcaption { color: var(--muted); font-size: 0.9em; }
    svg.plot { max-width: 100%; height: auto; border: 1px solid #eceff1; }
    ul.provenance { padding-left: 1.2rem; font-size: 0.9em; }
    @media print {
      body { font-size: 10.5pt; }
      main { max-width: none; padding: 0; }
      a { color: inherit; text-decoration: none; }
      nav, .no-print { display: none !important; }
      table { page-break-inside: auto; }
      tr, figure { page-break-inside: avoid; break-inside: avoid; }
      thead { display: table-header-group; }
      h1, h2 { page-break-after: avoid; break-after: avoid; }
      svg.plot { border: none; max-height: 9cm; }
      code, pre { background: none; }
    }
    """
}
