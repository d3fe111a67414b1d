#include "server/web_page.h"

namespace nmscds {

namespace {
// Paste or open a native case or a FHIR Bundle, call POST /api/assess, show the text report (decision line,
// DO NOW, situation, steps, warnings, missing data: the order of interfaces.md §6) and offer the JSON report.
// The red banner appears when the server answers with X-Nmscds-Auth: disabled.
constexpr std::string_view kPage = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nmscds: NMS and febrile neutropenia assessment</title>
<style>
body{font-family:system-ui,sans-serif;margin:1rem auto;max-width:60rem;padding:0 1rem;color:#111}
textarea,input{width:100%;box-sizing:border-box;font-family:monospace}
textarea{height:16rem}
pre{white-space:pre-wrap;background:#f4f4f4;padding:1rem;border:1px solid #ccc}
#banner{display:none;background:#b00020;color:#fff;padding:.5rem 1rem;font-weight:bold}
#error{color:#b00020;font-weight:bold}
button{padding:.5rem 1rem;margin:.5rem .5rem .5rem 0}
:focus{outline:3px solid #1a73e8;outline-offset:2px}
</style>
</head>
<body>
<div id="banner" role="alert">Authentication disabled - not for patient data</div>
<h1>NMS and febrile neutropenia assessment</h1>
<p>Decision support only; it does not replace clinical judgement.</p>
<label for="doc">Case (nmscds case or FHIR Bundle, JSON)</label>
<textarea id="doc" spellcheck="false"></textarea>
<label for="file">Open a file</label>
<input id="file" type="file" accept=".json,application/json">
<label for="token">Bearer token (kept in this page only)</label>
<input id="token" type="password" autocomplete="off">
<button id="assess" type="button">Assess</button>
<button id="download" type="button" disabled>Download report JSON</button>
<p id="error" role="status"></p>
<pre id="report" aria-live="polite"></pre>
<script src="app.js"></script>
</body>
</html>
)HTML";

// Served as /app.js: the page's Content-Security-Policy (default-src 'self') forbids inline scripts.
constexpr std::string_view kScript = R"JS(let reportJson = null;
const $ = (id) => document.getElementById(id);
function headers(accept) {
  const h = {'Content-Type': 'application/json', 'Accept': accept};
  const t = $('token').value.trim();
  if (t) h['Authorization'] = 'Bearer ' + t;
  return h;
}
async function assess() {
  $('error').textContent = ''; $('report').textContent = ''; reportJson = null; $('download').disabled = true;
  try {
    const body = $('doc').value;
    const r = await fetch('api/assess', {method: 'POST', headers: headers('application/json'), body});
    if (r.headers.get('X-Nmscds-Auth') === 'disabled') $('banner').style.display = 'block';
    const json = await r.text();
    if (!r.ok) {
      let msg = 'HTTP ' + r.status;
      try { msg += ': ' + JSON.parse(json).issue.map(i => (i.expression ? i.expression[0] + ': ' : '') + ((i.details && i.details.text) || i.diagnostics || i.code)).join('; '); } catch (e) {}
      $('error').textContent = msg; return;
    }
    reportJson = json; $('download').disabled = false;
    const t = await fetch('api/assess', {method: 'POST', headers: headers('text/plain'), body});
    $('report').textContent = t.ok ? await t.text() : json;
  } catch (e) { $('error').textContent = 'The service could not be reached: ' + e.message; }
}
$('assess').addEventListener('click', assess);
$('file').addEventListener('change', async (ev) => { const f = ev.target.files[0]; if (f) $('doc').value = await f.text(); });
$('download').addEventListener('click', () => {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([reportJson], {type: 'application/json'}));
  a.download = 'nmscds-report.json'; a.click(); URL.revokeObjectURL(a.href);
});
fetch('healthz').then(r => r.json()).then(h => { if (h.auth === 'disabled') $('banner').style.display = 'block'; }).catch(() => {});
)JS";
}  // namespace

std::string_view WebPageHtml() { return kPage; }
std::string_view WebPageScript() { return kScript; }

}  // namespace nmscds
