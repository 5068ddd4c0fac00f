/**
 * The report's whole style, inlined: readable on screen, and on paper one problem per page,
 * code wrapped rather than cut at the margin, tables kept whole where they fit.
 */
export const REPORT_CSS = `
:root { color-scheme: light; --text: #1d2026; --muted: #5d6470; --border: #d5d9e0; --sunken: #f4f6f9;
  --pass: #1a7f37; --fail: #c62828; --accent: #3454d1; }
* { box-sizing: border-box; }
html { font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--text); }
body { margin: 0 auto; padding: 2rem 1.5rem 4rem; max-width: 56rem; background: #fff; overflow-wrap: anywhere; }
h1 { font-size: 1.8rem; margin: 0 0 0.25rem; line-height: 1.25; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 0.8rem; padding-bottom: 0.3rem; border-bottom: 2px solid var(--border); }
h3 { font-size: 1.1rem; margin: 1.6rem 0 0.6rem; }
h4, h5, h6 { font-size: 1rem; margin: 1.2rem 0 0.5rem; }
p { margin: 0.5rem 0; }
a { color: var(--accent); }
.muted, .notice { color: var(--muted); }
.notice { font-size: 0.85rem; margin: 0 0 1.5rem; }
.subtitle { color: var(--muted); margin: 0 0 1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1.2rem; margin: 1rem 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 0.6rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid var(--border); padding: 0.35rem 0.55rem; text-align: left; vertical-align: top; }
th { background: var(--sunken); font-weight: 600; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.num, th.num { text-align: right; white-space: nowrap; }
.pass { color: var(--pass); font-weight: 600; }
.fail, .error { color: var(--fail); font-weight: 600; }
.text { white-space: pre-wrap; margin: 0.4rem 0 0.8rem; }
.comment { white-space: pre-wrap; margin: 0.3rem 0 0; }
.statement { border-left: 3px solid var(--border); padding-left: 1rem; margin: 0.5rem 0 1rem; }
.statement pre, .statement code { background: var(--sunken); border-radius: 3px;
  font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.88em; }
.statement code { padding: 0.05rem 0.3rem; }
.statement pre { padding: 0.6rem 0.8rem; white-space: pre-wrap; }
.statement pre code { padding: 0; background: none; }
.statement img { max-width: 100%; }
.image-ref { color: var(--muted); font-style: italic; }
pre.code, pre.output { margin: 0.5rem 0 1rem; padding: 0.6rem 0.8rem; background: var(--sunken);
  border: 1px solid var(--border); border-radius: 4px; font: 0.82rem/1.5 ui-monospace, "SFMono-Regular", Menlo,
  Consolas, "Liberation Mono", monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
pre.code code { counter-reset: line; display: block; }
pre.code .line { display: block; position: relative; padding-left: 3.2em; min-height: 1.5em; }
pre.code .line::before { counter-increment: line; content: counter(line); position: absolute; left: 0;
  width: 2.4em; text-align: right; color: var(--muted); }
.run { border: 1px solid var(--border); border-radius: 6px; padding: 0.4rem 0.9rem 0.2rem; margin: 0.8rem 0; }
.run h4 { margin: 0.4rem 0; }
.stars { color: #b7791f; letter-spacing: 0.05em; }
.recommendation { font-size: 1.15rem; font-weight: 700; }
.note { border-left: 3px solid var(--border); padding: 0.1rem 0 0.1rem 0.8rem; margin: 0.8rem 0; break-inside: avoid; }
.note .meta { color: var(--muted); font-size: 0.85rem; }
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  html { font-size: 11pt; }
  body { max-width: none; padding: 0; }
  section.page { break-before: page; }
  h2, h3, h4 { break-after: avoid; }
  .run, table { break-inside: auto; }
  a { color: inherit; }
}
`
