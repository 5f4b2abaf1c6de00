/**
 * The explorer's page: plain HTML and one small script, served as they are (no framework, no
 * bundler, nothing fetched from elsewhere: the page must work on a machine with no internet). The
 * script only reads the JSON endpoints of handler.ts and builds the DOM with textContent, so nothing
 * in a trace is ever parsed as HTML.
 *
 * Kept as strings (not files beside this module) so that a compiled build of the package carries
 * them without a copy step. The script is written without template literals: it lives inside one.
 */

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>alice explore</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>
  :root { --fg: #1d232b; --muted: #5d6673; --line: #d9dee5; --bg: #f6f7f9; --card: #fff; --bad: #b42318; --bad-bg: #fdecea; --ok: #1a7f37; --ok-bg: #e8f5ec; --off: #8250df; --accent: #0b5cad; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
  header { padding: 12px 18px; background: var(--card); border-bottom: 1px solid var(--line); }
  h1 { font-size: 16px; margin: 0 0 4px; }
  h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 14px 0 6px; }
  .setting { color: var(--muted); }
  #property-banner { margin-top: 8px; padding: 8px 10px; border-radius: 6px; background: var(--bad-bg); color: var(--bad); font-weight: 600; }
  #property-banner .detail { font-weight: 400; color: var(--fg); }
  main { display: grid; grid-template-columns: 300px 1fr 340px; gap: 14px; padding: 14px 18px; align-items: start; }
  section.panel { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
  .controls { display: flex; gap: 6px; margin-bottom: 8px; }
  button { font: inherit; cursor: pointer; border: 1px solid var(--line); background: var(--card); border-radius: 6px; padding: 4px 10px; }
  button:hover:not(:disabled) { border-color: var(--accent); }
  button:disabled { opacity: .45; cursor: default; }
  ol#path { list-style: none; margin: 0; padding: 0; max-height: 70vh; overflow: auto; }
  ol#path li { padding: 3px 6px; border-radius: 4px; cursor: pointer; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  ol#path li:hover { background: var(--bg); }
  ol#path li.current { background: #dbe9f7; font-weight: 600; }
  ol#path li.off-trace { color: var(--off); }
  ol#path li.suffix-start { border-top: 2px dashed var(--muted); }
  .num { display: inline-block; min-width: 2.2em; color: var(--muted); font-variant-numeric: tabular-nums; }
  #where { font-weight: 600; }
  #via { margin: 4px 0 0; color: var(--muted); }
  .end { margin-top: 8px; padding: 6px 10px; border-radius: 6px; background: var(--bad-bg); color: var(--bad); font-weight: 600; }
  .end.final { background: var(--ok-bg); color: var(--ok); }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
  th { color: var(--muted); font-weight: 500; }
  tr.failed td { background: var(--bad-bg); }
  .badge { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px; font-weight: 600; }
  .badge.bad { background: var(--bad-bg); color: var(--bad); }
  .badge.ok { background: var(--ok-bg); color: var(--ok); }
  .badge.info { background: #eef1f5; color: var(--muted); }
  .badge.off { background: #f1eafd; color: var(--off); }
  #nodes { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 10px; }
  .node { border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; background: var(--card); }
  .node.down { background: #f3f3f3; color: var(--muted); }
  .node.changed { border-color: var(--accent); box-shadow: 0 0 0 1px var(--accent) inset; }
  .node h3 { margin: 0 0 6px; font-size: 14px; display: flex; gap: 6px; align-items: center; }
  pre { margin: 4px 0 0; padding: 6px; background: var(--bg); border-radius: 4px; font-size: 12px; max-height: 240px; overflow: auto; white-space: pre-wrap; word-break: break-word; }
  code { font-size: 12px; }
  #successors { list-style: none; margin: 0; padding: 0; }
  #successors li { margin-bottom: 6px; }
  #successors button { width: 100%; text-align: left; }
  #successors button.on-trace { border-color: var(--accent); }
  #successors .outputs { display: block; color: var(--muted); font-size: 12px; }
  #successors .error { color: var(--bad); }
  .muted { color: var(--muted); }
  #error { color: var(--bad); font-weight: 600; padding: 8px 18px; }
</style>
</head>
<body>
<header>
  <h1 id="title">alice explore</h1>
  <div class="setting" id="setting"></div>
  <div id="property-banner" hidden></div>
</header>
<div id="error" hidden></div>
<main>
  <section class="panel" aria-label="path">
    <div class="controls">
      <button id="first" title="initial state (Home)">|◀</button>
      <button id="prev" title="back (←)">◀ back</button>
      <button id="next" title="forward (→)">forward ▶</button>
      <button id="last" title="last state of the path (End)">▶|</button>
    </div>
    <h2>Path</h2>
    <ol id="path"></ol>
    <p class="muted">Purple steps leave the trace. ← → step; pick a successor to branch.</p>
  </section>
  <section class="panel" aria-label="state">
    <div id="where"></div>
    <div id="via"></div>
    <div id="end" hidden></div>
    <h2>Properties</h2>
    <table id="properties"><thead><tr><th>property</th><th>kind</th><th>here</th><th>detail</th></tr></thead><tbody></tbody></table>
    <h2>Nodes</h2>
    <div id="nodes"></div>
    <h2>Messages in flight</h2>
    <table id="in-flight"><thead><tr><th>from</th><th>to</th><th>message</th></tr></thead><tbody></tbody></table>
    <h2>Environment</h2>
    <div id="environment"></div>
  </section>
  <section class="panel" aria-label="successors">
    <h2>Successors</h2>
    <ul id="successors"></ul>
  </section>
</main>
<script src="/explorer.js"></script>
</body>
</html>
`;

export const PAGE_SCRIPT = String.raw`'use strict';
(function () {
  var summary = null;
  var path = [];
  var pos = 0;
  var cache = new Map();
  var labels = new Map();

  function $(id) { return document.getElementById(id); }
  function el(tag, props, children) {
    var e = document.createElement(tag);
    if (props) Object.keys(props).forEach(function (k) {
      if (k === 'text') e.textContent = props[k];
      else if (k === 'class') e.className = props[k];
      else if (k.indexOf('data-') === 0 || k === 'title' || k === 'colspan') e.setAttribute(k, props[k]);
      else e[k] = props[k];
    });
    (children || []).forEach(function (c) { if (c !== null && c !== undefined) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); return e; }
  function getJson(url) {
    return fetch(url).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error(body && body.error ? body.error : r.status + ' ' + r.statusText);
        return body;
      });
    });
  }
  function fail(e) { var box = $('error'); box.hidden = false; box.textContent = String(e && e.message ? e.message : e); }

  function kindOf(m) {
    if (m === null || typeof m !== 'object') return String(m);
    return String(m.kind || m.type || 'message');
  }
  function outputText(o) {
    if (o.type === 'send') return '→ ' + o.to + ': ' + kindOf(o.message);
    if (o.type === 'notify') return '! ' + (o.event && o.event.kind) + (o.event && o.event.member ? ' ' + o.event.member : '');
    if (o.type === 'setTimer') return 'arm ' + o.timer;
    if (o.type === 'cancelTimer') return 'cancel ' + o.timer;
    return o.type;
  }
  function stepText(s) { return '[' + s.actor + '] ' + s.label; }
  function pretty(v) { return JSON.stringify(v, null, 1); }

  function load(id) {
    if (cache.has(id)) return Promise.resolve(cache.get(id));
    return Promise.all([getJson('/api/state/' + id), getJson('/api/state/' + id + '/successors')]).then(function (r) {
      var entry = { state: r[0], successors: r[1] };
      cache.set(id, entry);
      return entry;
    });
  }

  function renderHeader() {
    var t = summary;
    document.title = 'alice explore: ' + t.property + ' in ' + t.protocol;
    $('title').textContent = t.protocol + (t.model ? ' (--model ' + t.model + ')' : '') + ': counterexample to ' + t.property;
    $('setting').textContent = t.setting + ' · ' + (t.steps.length - 1) + ' transitions (step 0 is the initial state)';
    var banner = clear($('property-banner'));
    banner.hidden = false;
    banner.appendChild(el('span', { text: t.property + ' (' + t.temporal + ') violated: ' }));
    banner.appendChild(el('span', { class: 'detail', text: t.violation.detail }));
  }

  function renderPath() {
    var list = clear($('path'));
    path.forEach(function (id, i) {
      var onTrace = id < summary.steps.length && i === id;
      var li = el('li', { 'data-id': String(id), title: labels.get(id) || '' }, [el('span', { class: 'num', text: String(i) + '.' }), labels.get(id) || ('state ' + id)]);
      if (i === pos) li.classList.add('current');
      if (!onTrace) li.classList.add('off-trace');
      if (summary.suffixFrom !== undefined && onTrace && id === summary.suffixFrom + 1) li.classList.add('suffix-start');
      li.addEventListener('click', function () { go(i); });
      list.appendChild(li);
    });
    var cur = list.children[pos];
    if (cur && cur.scrollIntoView) cur.scrollIntoView({ block: 'nearest' });
    $('first').disabled = $('prev').disabled = pos === 0;
    $('next').disabled = $('last').disabled = pos >= path.length - 1;
  }

  function statusBadge(p) {
    var bad = p.status === 'violated';
    var cls = bad ? 'bad' : p.status === 'holds' || p.status === 'reached' || p.status === 'true-now' ? 'ok' : 'info';
    var words = { holds: 'holds', violated: 'VIOLATED', reached: 'reached here', 'not-reached': 'not here', 'true-now': 'true here', 'false-now': 'not yet' };
    return el('span', { class: 'badge ' + cls, text: words[p.status] || p.status });
  }

  function memberTable(view) {
    var rows = Object.keys(view.members).sort().map(function (id) {
      var m = view.members[id];
      return el('tr', null, [el('td', { text: id }), el('td', { text: m.status }), el('td', { text: 'v' + m.version }), el('td', { text: m.info ? m.info.address : '(no NodeInfo)' })]);
    });
    return el('table', { class: 'view' }, [el('thead', null, [el('tr', null, [el('th', { text: 'member' }), el('th', { text: 'status' }), el('th', { text: 'version' }), el('th', { text: 'address' })])]), el('tbody', null, rows)]);
  }

  function renderState(s) {
    var where;
    if (s.traceIndex !== null) where = 'State ' + s.id + ': step ' + s.traceIndex + ' of the trace (' + (summary.steps.length - 1) + ' transitions)';
    else where = 'State ' + s.id + ': off the trace, ' + s.depth + ' transitions from the start' + (s.sameAsTrace !== null ? ' (same state as trace step ' + s.sameAsTrace + ')' : '');
    $('where').textContent = where;
    var via = clear($('via'));
    if (s.via) {
      via.appendChild(el('span', { text: 'by ' + stepText(s.via) }));
      s.via.outputs.forEach(function (o) { via.appendChild(el('code', { text: '  ' + outputText(o) })); });
    } else via.textContent = 'the initial state';

    var end = $('end');
    end.hidden = s.end === null;
    end.className = 'end' + (s.end === 'final' ? ' final' : '');
    end.textContent = s.end === 'deadlock' ? 'deadlock: no step is enabled and the model does not declare this state final'
      : s.end === 'final' ? 'final: no step is enabled, and the model declares this state where it ends'
      : s.end === 'all-down' ? 'every node is down: nothing can happen' : '';

    var props = clear($('properties').tBodies[0]);
    s.properties.forEach(function (p) {
      var tr = el('tr', { 'data-property': p.name }, [el('td', { text: p.name + (p.failed ? ' ★' : '') }), el('td', { text: p.temporal }), el('td', null, [statusBadge(p)]), el('td', { text: p.detail || '' })]);
      if (p.failed) tr.classList.add('failed');
      props.appendChild(tr);
    });
    if (s.properties.length === 0) props.appendChild(el('tr', null, [el('td', { colspan: '4', class: 'muted', text: 'the model names no properties' })]));

    var nodes = clear($('nodes'));
    s.nodes.forEach(function (n) {
      var badges = [el('span', { class: 'badge ' + (n.up ? 'ok' : 'bad'), text: n.up ? 'up' : 'crashed' })];
      if (n.changed) badges.push(el('span', { class: 'badge off', text: 'changed' }));
      if (n.skewMs) badges.push(el('span', { class: 'badge info', text: 'clock +' + n.skewMs + ' ms' }));
      var timers = n.timers.length === 0 ? 'none' : n.timers.map(function (t) { return t.timer + (t.deadline !== undefined ? ' @' + t.deadline : ''); }).join(', ');
      var card = el('div', { class: 'node' + (n.up ? '' : ' down') + (n.changed ? ' changed' : ''), 'data-node': n.id }, [
        el('h3', null, [n.id].concat(badges)),
        summary.membership ? memberTable(n.view) : null,
        el('div', { class: 'timers' }, [el('span', { class: 'muted', text: 'timers: ' }), timers]),
        el('details', { class: 'local', open: !summary.membership }, [el('summary', { text: 'local state' }), el('pre', { class: 'state', text: pretty(n.state) })]),
      ]);
      nodes.appendChild(card);
    });

    var net = clear($('in-flight').tBodies[0]);
    s.inFlight.forEach(function (m) {
      net.appendChild(el('tr', null, [el('td', { text: m.from }), el('td', { text: m.to }), el('td', null, [el('details', null, [el('summary', { text: kindOf(m.message) + (m.deadline !== undefined ? ' (due by ' + m.deadline + ')' : '') }), el('pre', { text: pretty(m.message) })])])]));
    });
    if (s.inFlight.length === 0) net.appendChild(el('tr', null, [el('td', { colspan: '3', class: 'muted', text: 'none' })]));

    var env = s.environment;
    var bits = [];
    if (env.clock !== undefined) bits.push('clock ' + env.clock + ' ms');
    bits.push(env.partition ? 'partitioned: ' + env.partition.map(function (side) { return '{' + side.join(', ') + '}'; }).join(' | ') : 'no partition');
    bits.push('fault budget left ' + env.faultBudgetLeft);
    if (env.lossesLeft !== undefined) bits.push(env.lossesLeft === null ? 'losses unlimited' : 'losses left ' + env.lossesLeft);
    $('environment').textContent = bits.join(' · ');
  }

  function renderSuccessors(list) {
    var ul = clear($('successors'));
    if (list.length === 0) ul.appendChild(el('li', { class: 'muted', text: 'no step is enabled here' }));
    list.forEach(function (x) {
      if (x.kind === 'error') {
        ul.appendChild(el('li', { class: 'error' }, [el('strong', { text: x.label + ' throws: ' }), x.error]));
        return;
      }
      labels.set(x.id, stepText(x));
      var tags = [];
      if (x.onTrace) tags.push(el('span', { class: 'badge info', text: 'trace' }));
      if (!x.fair) tags.push(el('span', { class: 'badge bad', text: 'fault' }));
      var b = el('button', { class: x.onTrace ? 'on-trace' : '', 'data-id': String(x.id), title: 'go to state ' + x.id }, [stepText(x) + ' '].concat(tags).concat([el('span', { class: 'outputs', text: x.outputs.map(outputText).join('  ') || 'no outputs' })]));
      b.addEventListener('click', function () { pick(x.id); });
      ul.appendChild(el('li', null, [b]));
    });
  }

  function show() {
    var id = path[pos];
    return load(id).then(function (entry) {
      $('error').hidden = true;
      renderPath();
      renderState(entry.state);
      renderSuccessors(entry.successors);
      document.body.setAttribute('data-state', String(id));
    }).catch(fail);
  }
  function go(i) { if (i >= 0 && i < path.length && i !== pos) { pos = i; show(); } }
  function pick(id) {
    if (path[pos + 1] !== id) path = path.slice(0, pos + 1).concat([id]);
    pos += 1;
    show();
  }

  $('first').addEventListener('click', function () { go(0); });
  $('prev').addEventListener('click', function () { go(pos - 1); });
  $('next').addEventListener('click', function () { go(pos + 1); });
  $('last').addEventListener('click', function () { go(path.length - 1); });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowLeft') go(pos - 1);
    else if (e.key === 'ArrowRight') go(pos + 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(path.length - 1);
  });

  getJson('/api/trace').then(function (t) {
    summary = t;
    t.steps.forEach(function (s) { labels.set(s.id, s.index === 0 ? 'initial state' : '[' + s.actor + '] ' + s.action); });
    path = t.steps.map(function (s) { return s.id; });
    pos = 0;
    renderHeader();
    return show();
  }).catch(fail);
})();
`;
