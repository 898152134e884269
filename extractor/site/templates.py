"""HTML skeletons, CSS and the filter script of the static site, as Python strings.

Kept as ``string.Template`` strings rather than package-data files so that the site needs
no template engine and no packaging changes. Only :mod:`extractor.site.build` fills
them, and it escapes every value it puts in (``$``-placeholders receive finished, escaped
HTML fragments). There are no external URLs: the CSS and the script are inline, so a page
works from ``file://`` without a network.
"""

from __future__ import annotations

from string import Template

CSS = """
:root { --ink: #1d232a; --muted: #5b6470; --line: #d9dde3; --accent: #1d5fa8; --bg: #f7f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: var(--bg); }
main { max-width: 68rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
a { color: var(--accent); }
.about { background: #eef3f9; border-left: 4px solid var(--accent); padding: .75rem 1rem; }
.kicker { color: var(--muted); text-transform: uppercase; letter-spacing: .04em; font-size: .85rem;
          margin: 1.5rem 0 .25rem; }
h1 { margin: 0 0 .75rem; font-size: 2rem; }
dl.facts { display: flex; flex-wrap: wrap; gap: .5rem 2rem; margin: 0 0 1rem; }
dl.facts div { display: flex; gap: .35rem; }
dl.facts dt { color: var(--muted); }
dl.facts dt::after { content: ":"; }
dl.facts dd { margin: 0; font-weight: 600; }
.basis, .source { color: var(--muted); }
.pdf { display: inline-block; margin: .25rem 0; font-weight: 600; }
table { width: 100%; border-collapse: collapse; background: #fff; }
th, td { text-align: left; vertical-align: top; padding: .5rem .6rem; border-bottom: 1px solid var(--line); }
th { background: #eceff3; }
td.id { white-space: nowrap; font-weight: 600; }
td.text { white-space: pre-line; }
td.to { min-width: 14rem; }
tfoot td { color: var(--muted); font-size: .9rem; }
.filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: end; margin: 1rem 0; }
.filters label { display: flex; flex-direction: column; font-size: .9rem; color: var(--muted); }
.filters select { font: inherit; padding: .25rem; min-width: 12rem; max-width: 22rem; }
footer { color: var(--muted); font-size: .9rem; margin-top: 2rem; border-top: 1px solid var(--line);
         padding-top: .75rem; }
tr[hidden] { display: none; }
"""

PAGE = Template(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="dhr-extract $version">
<title>$title</title>
<style>$css</style>
</head>
<body>
<main>
$body
</main>
$script
</body>
</html>
"""
)

REPORT_BODY = Template(
    """<p class="about"><strong>About this page.</strong> $about</p>
<p class="kicker">Source · Domestic Homicide Review</p>
<h1>$heading</h1>
<dl class="facts">
<div><dt>CSP</dt><dd class="csp">$csp</dd></div>
<div><dt>Published</dt><dd class="published">$published</dd></div>
<div><dt>Year of death</dt><dd class="year">$year</dd></div>
<div><dt>Extracted</dt><dd class="count">$count recs</dd></div>
</dl>
<p class="basis">$basis</p>
<p><a class="pdf" href="$pdf_href" rel="noopener noreferrer">View full report (PDF) ↗</a></p>
<p class="source">Source: $source</p>
<section id="summary">
<h2>Summary</h2>
<p class="summary">$summary</p>
</section>
<section id="recommendations">
<h2>Extracted recommendations</h2>
<table id="recs">
<thead><tr><th scope="col">#</th><th scope="col">Recommendation</th><th scope="col">Addressed to</th></tr></thead>
<tbody>
$rows
</tbody>
<tfoot><tr><td colspan="3">$table_note <a href="$pdf_href" rel="noopener noreferrer">View full report ↗</a></td></tr></tfoot>
</table>
</section>
<footer><a href="$index_href">All reports</a> · Built by dhr-extract $version from the published PDF.</footer>"""
)

# "Addressed to" shows the addressee as printed (as the target page does); the canonical
# agency names are in the cell's title attribute and drive the index's agency filter.
REC_ROW = Template(
    '<tr><td class="id">$id</td><td class="text">$text</td><td class="to" title="$canonical">$to</td></tr>'
)

INDEX_BODY = Template(
    """<h1>Domestic Homicide Reviews</h1>
<p class="about">$count reviews, with the recommendations extracted from each published report.
Filter by the agency a recommendation is addressed to, by Community Safety Partnership, or by year of death.</p>
<form class="filters" id="filters" onsubmit="return false">
<label>Agency <select id="f-agency" name="agency"><option value="">All agencies</option>$agency_options</select></label>
<label>CSP <select id="f-csp" name="csp"><option value="">All CSPs</option>$csp_options</select></label>
<label>Year of death <select id="f-year" name="year"><option value="">All years</option>$year_options</select></label>
<output id="shown" aria-live="polite">$count of $count reports</output>
</form>
<table id="reports">
<thead><tr><th scope="col">Review</th><th scope="col">CSP</th><th scope="col">Year of death</th><th scope="col">Published</th><th scope="col">Recs</th></tr></thead>
<tbody>
$rows
</tbody>
</table>
<script type="application/json" id="dhr-data">$data</script>
<footer>Built by dhr-extract $version. Works offline: open this file in any browser.</footer>"""
)

INDEX_ROW = Template(
    '<tr data-i="$i"><td><a href="$href">$heading</a></td><td class="csp">$csp</td>'
    '<td class="year">$year</td><td>$published</td><td class="count">$count</td></tr>'
)

# The filter reads its initial state from the query string (?agency=…&csp=…&year=…), so a
# filtered view can be bookmarked and shared; it only ever sets .hidden and .textContent.
FILTER_SCRIPT = """<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dhr-data").textContent);
  var keys = ["agency", "csp", "year"];
  var selects = {};
  keys.forEach(function (k) { selects[k] = document.getElementById("f-" + k); });
  var params = new URLSearchParams(window.location.search);
  keys.forEach(function (k) {
    var v = params.get(k);
    if (v === null || v === "") { return; }
    var known = Array.prototype.some.call(selects[k].options, function (o) { return o.value === v; });
    if (!known) {
      var o = document.createElement("option");
      o.value = v; o.textContent = v;
      selects[k].appendChild(o);
    }
    selects[k].value = v;
  });
  function apply() {
    var agency = selects.agency.value, csp = selects.csp.value, year = selects.year.value;
    var shown = 0;
    var rows = document.querySelectorAll("#reports tbody tr");
    Array.prototype.forEach.call(rows, function (row) {
      var r = data[Number(row.getAttribute("data-i"))];
      var ok = (!agency || r.agencies.indexOf(agency) >= 0) &&
               (!csp || r.csp === csp) && (!year || String(r.year) === year);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    document.getElementById("shown").textContent = shown + " of " + data.length + " reports";
    var q = new URLSearchParams();
    keys.forEach(function (k) { if (selects[k].value) { q.set(k, selects[k].value); } });
    var search = q.toString();
    try { window.history.replaceState(null, "", search ? "?" + search : window.location.pathname); }
    catch (e) { /* some browsers refuse replaceState on file:// pages */ }
  }
  keys.forEach(function (k) { selects[k].addEventListener("change", apply); });
  apply();
}());
</script>"""
