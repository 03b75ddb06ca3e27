// The book's live panels. Every <div class="ffnn-live" data-example="...">
// becomes a panel: its inputs start at the slide's values (asked of the
// module: {"example": "defaults"}), and every edit is sent to the project's
// C++ compiled to WebAssembly (tools/live/live.h, one call per edit), whose
// answer the panel draws. No number is computed here; this file only lays
// out inputs and outputs.
//
// The module: live_simd.js (Highway's WASM target) where the browser has
// WebAssembly SIMD, else live_scalar.js; `?live=scalar` forces the scalar
// one. live_builds.js (written by the docs target) says which were built:
// without emscripten there are none, and each panel says so.
//
// For the tests (tests/book/check_live.py): a panel's element carries
// data-state ("loading", "ready", "error", "unavailable") and data-count
// (answers drawn so far), its last request and response as
// element.ffnnRequest and element.ffnnLast, and element.ffnnPanel.compute()
// recomputes at once; each input has data-field (its name in the request,
// as the errors name it).
(function () {
  'use strict';
  if (window.FfnnLive) return;  // several panels on a page: one loader

  const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96,
    0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

  function pickBuild() {
    const builds = window.FFNN_LIVE_BUILDS || {};
    const forced = new URLSearchParams(location.search).get('live');
    let simd = false;
    try { simd = WebAssembly.validate(SIMD_PROBE); } catch (e) { simd = false; }
    if (forced && builds[forced]) return forced;
    if (simd && builds.simd) return 'simd';
    return builds.scalar ? 'scalar' : null;
  }

  const modules = {};
  function loadModule(kind) {
    if (modules[kind]) return modules[kind];
    const build = (window.FFNN_LIVE_BUILDS || {})[kind];
    modules[kind] = new Promise((resolve, reject) => {
      if (!build) { reject(new Error('no ' + kind + ' build')); return; }
      const s = document.createElement('script');
      s.src = build.file;
      s.onload = () => window[build.factory]().then(resolve, reject);
      s.onerror = () => reject(new Error('cannot load ' + build.file));
      document.head.appendChild(s);
    });
    return modules[kind];
  }

  const started = performance.now();
  const kind = pickBuild();
  const FfnnLive = window.FfnnLive = {
    kind: kind,
    loadModule: loadModule,
    firstResultMs: null,  // from this script's start to the first answer
    firstResultSinceLoadMs: null,  // from the page's navigation start
    // The module's answer to a request object, parsed. The request goes
    // through the heap (ccall would copy it onto the 5 MB stack, which a
    // pasted megabyte overflows).
    call: async function (request, which) {
      const m = await loadModule(which || kind);
      if (m.ffnnBroken) return {ok: false, error: m.ffnnBroken};
      const text = JSON.stringify(request);
      const bytes = m.lengthBytesUTF8(text) + 1;
      const ptr = m._malloc(bytes);
      if (!ptr) {
        return {ok: false, error: 'request: needs ' + bytes + ' bytes, more ' +
                                  'than the page could allocate'};
      }
      try {
        m.stringToUTF8(text, ptr, bytes);
        return JSON.parse(m.UTF8ToString(m._ffnn_live_call(ptr)));
      } catch (e) {
        // A trap leaves the module's state unknown: refuse from now on.
        m.ffnnBroken = 'the WebAssembly module failed (' + e.message +
                       '); reload the page';
        return {ok: false, error: m.ffnnBroken};
      } finally {
        if (!m.ffnnBroken) m._free(ptr);
      }
    },
  };

  // A panel's request and answer, kept on its element (for the tests), the
  // page's first answer timed.
  async function ask(root, request) {
    root.ffnnRequest = request;
    const response = await FfnnLive.call(request);
    if (FfnnLive.firstResultMs === null) {
      FfnnLive.firstResultMs = performance.now() - started;
      FfnnLive.firstResultSinceLoadMs = performance.now();
    }
    root.ffnnLast = response;
    return response;
  }
  // An answer drawn: the panel's state, and one more in its count.
  function drawn(root, state) {
    root.setAttribute('data-state', state);
    root.setAttribute('data-count',
                      String(Number(root.getAttribute('data-count')) + 1));
  }

  // ---- drawing helpers ------------------------------------------------------

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v; else e.setAttribute(k, v);
    }
    for (const c of children) {
      if (c !== null && c !== undefined) {
        e.append(c instanceof Node ? c : String(c));
      }
    }
    return e;
  }
  // Numbers as the module sent them (shortest round trip) or to 6 digits.
  // Numbers as the chapter targets print them: 6 significant digits (the
  // full precision is in the response, element.ffnnLast).
  const short = x => (typeof x === 'number' && !Number.isInteger(x)
                      ? String(+x.toPrecision(6)) : String(x));
  function table(head, rows) {
    return el('table', {class: 'ffnn-live-table'},
              el('tr', {}, ...head.map(h => el('th', {}, h))),
              ...rows.map(r => el('tr', {}, ...r.map(c => el('td', {}, c)))));
  }
  function matrixTable(m) {
    return table(m[0].map((_, j) => String(j + 1)), m.map(r => r.map(short)));
  }
  function canvas(w, h) {
    const c = el('canvas', {width: w, height: h, class: 'ffnn-live-canvas'});
    return [c, c.getContext('2d')];
  }
  const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];

  // A line plot of several series (arrays of numbers) with a legend; the
  // y range from the series marked in `scaled` (a diverged run's exploding
  // loss would flatten the others), the rest clipped to the frame.
  function linePlot(series, names, ylabel, scaled) {
    const [c, g] = canvas(600, 270);
    const pad = {l: 60, r: 175, t: 14, b: 30};
    const W = 600 - pad.l - pad.r, H = 270 - pad.t - pad.b;
    let all = [].concat(...series.filter((s, k) => scaled[k]))
        .filter(Number.isFinite);
    if (!all.length) all = [].concat(...series).filter(Number.isFinite);
    const hi = Math.max(...all), lo = Math.min(0, ...all);
    const n = Math.max(...series.map(s => s.length));
    g.font = '11px sans-serif';
    g.strokeStyle = '#888'; g.strokeRect(pad.l, pad.t, W, H);
    g.fillStyle = '#333';
    g.fillText(short(hi), 4, pad.t + 4); g.fillText(short(lo), 4, pad.t + H);
    g.fillText('1', pad.l, pad.t + H + 14);
    g.fillText('epoch ' + n, pad.l + W - 50, pad.t + H + 14);
    g.fillText(ylabel, pad.l + W / 2 - 40, pad.t + H + 26);
    g.save();
    g.beginPath(); g.rect(pad.l, pad.t, W, H); g.clip();
    series.forEach((s, k) => {
      g.strokeStyle = g.fillStyle = COLORS[k % COLORS.length];
      g.lineWidth = 1.5;
      g.beginPath();
      s.forEach((y, i) => {
        const px = pad.l + (n > 1 ? i / (n - 1) : 0) * W;
        const py = pad.t + H - (hi > lo ? (y - lo) / (hi - lo) : 0) * H;
        if (i === 0) g.moveTo(px, py); else g.lineTo(px, py);
        if (s.length === 1) g.fillRect(px - 2, py - 2, 5, 5);  // one epoch
      });
      g.stroke();
    });
    g.restore();
    series.forEach((s, k) => {
      g.fillStyle = COLORS[k % COLORS.length];
      g.fillText(names[k], pad.l + W + 8, pad.t + 14 + 14 * k);
    });
    return c;
  }

  // ---- inputs -------------------------------------------------------------

  // One text field per number of the defaults, named as the C++ names it
  // in its errors: w[2], W1[1][2], points[3].x1, lr.Adam.
  function numberField(panel, field, value) {
    const input = el('input', {type: 'text', size: 7, 'data-field': field,
                               'aria-label': field});
    input.value = String(value);
    input.addEventListener('input', () => panel.changed());
    return input;
  }
  function fieldsFor(panel, key, value) {
    if (Array.isArray(value) && Array.isArray(value[0])) {
      const rows = value.map((row, i) => el('div', {class: 'ffnn-live-row'},
          ...row.map((x, j) => numberField(panel, key + '[' + (i + 1) + '][' +
                                                  (j + 1) + ']', x))));
      return el('div', {class: 'ffnn-live-matrix'}, ...rows);
    }
    if (Array.isArray(value)) {
      return el('span', {}, ...value.map((x, i) =>
          numberField(panel, key + '[' + (i + 1) + ']', x)));
    }
    if (value !== null && typeof value === 'object') {
      return el('span', {}, ...Object.entries(value).map(([k, v]) =>
          el('label', {}, k + ' ', numberField(panel, key + '.' + k, v))));
    }
    return numberField(panel, key, value);
  }
  // The request's inputs back from the fields, as text (the C++ parses it).
  function readInputs(panel, defaults) {
    const value = f => panel.root.querySelector('[data-field="' + f + '"]').value;
    const read = (key, v) => {
      if (Array.isArray(v) && Array.isArray(v[0])) {
        return v.map((row, i) => row.map((_, j) =>
            value(key + '[' + (i + 1) + '][' + (j + 1) + ']')));
      }
      if (Array.isArray(v)) return v.map((_, i) => value(key + '[' + (i + 1) + ']'));
      if (v !== null && typeof v === 'object') {
        const o = {};
        for (const k of Object.keys(v)) o[k] = value(key + '.' + k);
        return o;
      }
      return value(key);
    };
    const inputs = {};
    for (const [k, v] of Object.entries(defaults)) {
      inputs[k] = panel.fixed.includes(k) ? v : read(k, v);
    }
    return inputs;
  }
  // The fields whose text differs from the slide's (the text, not the
  // number: "0.2 " is refused where 0.2 is not), and rows added or removed.
  function edited(panel) {
    const out = [];
    for (const input of panel.root.querySelectorAll('[data-field]')) {
      const slide = input.getAttribute('data-slide');
      if (slide !== null && input.value !== slide) {
        out.push(input.getAttribute('data-field'));
      }
    }
    const rows = panel.slideRows !== undefined ? panel.rows() : undefined;
    if (rows !== undefined && rows !== panel.slideRows) {
      out.push('points (' + rows + ' instead of ' + panel.slideRows + ')');
    }
    return out;
  }

  // ---- the examples' outputs ----------------------------------------------

  const RENDER = {
    neuron(o) {
      return el('p', {}, 'z = w · x + b = ', el('b', {}, short(o.z)),
                ', σ(z) = ', el('b', {}, short(o['sigma(z)'])));
    },
    perceptron(o) {
      const shown = o.steps.slice(0, 40);
      const rows = shown.map(s => [s.epoch, 'x' + (s.index + 1), short(s.score),
                                   short(s.loss), s.updated ? 'update' : '',
                                   '(' + s.w.map(short).join(', ') + ')']);
      return el('div', {},
          el('p', {}, 'final w = (' + o.w.map(short).join(', ') + ') after ',
             el('b', {}, o.epochs), ' epochs; ',
             o.converged ? 'converged (an epoch without an update)'
                         : 'not converged'),
          table(['epoch', 'example', 'w · x', 'L = max(0, −y w · x)',
                 '', 'w after'], rows),
          o.steps.length > shown.length
              ? el('p', {}, '(first 40 of ' + o.steps.length + ' steps)') : null);
    },
    composition(o) {
      const rows = o.table.map(r => [r.x1, r.x2, r.z1.map(short).join(', '),
                                     r.h.map(short).join(', '), short(r.z2),
                                     short(r.yhat), r.target]);
      const size = o.grid.size, [c, g] = canvas(240, 240), cell = 240 / size;
      o.grid.yhat.forEach((y, k) => {
        const v = Number.isFinite(y) ? y : 0;
        g.fillStyle = v >= 0.5 ? '#f4a582' : '#92c5de';
        g.fillRect((k % size) * cell, Math.floor(k / size) * cell, cell + 1, cell + 1);
      });
      g.fillStyle = '#000';
      for (const r of o.table) {
        const px = (r.x1 + 0.5) / 2 * 240, py = (1.5 - r.x2) / 2 * 240;
        g.beginPath(); g.arc(px, py, 6, 0, 7); g.fill();
        g.fillStyle = r.target ? '#fff' : '#000';
        g.beginPath(); g.arc(px, py, 4, 0, 7); g.fill(); g.fillStyle = '#000';
      }
      return el('div', {class: 'ffnn-live-split'},
          table(['x1', 'x2', 'z1 = W1 x + b1', 'h = g(z1)', 'z2', 'ŷ',
                 'target'], rows),
          el('figure', {}, c, el('figcaption', {},
             'ŷ ≥ 0.5 (orange) over [−0.5, 1.5]²; dots: the four inputs ' +
             '(white: target 1)')));
    },
    iris(o) {
      const layers = o.layers.map((l, i) => el('div', {},
          el('p', {}, 'layer ' + (i + 1) + ': z'), matrixTable(l.z),
          el('p', {}, 'a'), matrixTable(l.a)));
      const grads = o.grads.map((gr, i) => el('div', {},
          el('p', {}, 'dL/dW' + (i + 1)), matrixTable(gr.W),
          el('p', {}, 'dL/db' + (i + 1)), matrixTable([gr.b])));
      const updated = o.updated.map((u, i) => el('div', {},
          el('p', {}, 'W' + (i + 1) + ' after the step'), matrixTable(u.W),
          el('p', {}, 'b' + (i + 1) + ' after the step'), matrixTable([u.b])));
      return el('div', {},
          el('p', {}, 'loss (cross-entropy, ln) = ', el('b', {}, short(o.loss))),
          el('div', {class: 'ffnn-live-split'}, ...layers),
          el('p', {}, 'gradients'),
          el('div', {class: 'ffnn-live-split'}, ...grads),
          el('p', {}, 'one gradient-descent step, θ − η ∂L/∂θ'),
          el('div', {class: 'ffnn-live-split'}, ...updated));
    },
    optimizers(o) {
      const names = o.runs.map(r => r.optimizer + ' (lr ' + short(r.lr) + ')' +
                                   (r.diverged ? ' ✗' : ''));
      return el('div', {},
          linePlot(o.runs.map(r => r.train_loss), names, 'mean train CE',
                   o.runs.map(r => !r.diverged)),
          table(['optimizer', 'lr', 'final train loss', 'test accuracy', 'note'],
                o.runs.map(r => r.diverged
                    ? [r.optimizer, short(r.lr), '—', '—',
                       'diverged at epoch ' + r.diverged_epoch]
                    : [r.optimizer, short(r.lr),
                       short(r.train_loss[r.train_loss.length - 1]),
                       short(r.test_accuracy), ''])));
    },
  };

  // ---- a panel --------------------------------------------------------------

  async function makePanel(root) {
    const example = root.getAttribute('data-example');
    root.setAttribute('data-state', 'loading');
    root.setAttribute('data-count', '0');
    const panel = {root: root, example: example, fixed: ['network'], timer: null};
    const form = el('div', {class: 'ffnn-live-inputs'});
    const status = el('div', {class: 'ffnn-live-status'});
    const out = el('div', {class: 'ffnn-live-output'});
    const reset = el('button', {type: 'button'}, 'reset to the slide');
    root.append(el('div', {class: 'ffnn-live-title'}, 'Live: ',
                   root.getAttribute('data-title') || example, ' ', reset),
                form, status, out);
    if (!kind) {
      root.setAttribute('data-state', 'unavailable');
      status.textContent = 'This panel runs the chapter\'s C++ compiled to ' +
          'WebAssembly; this book was built without emscripten ' +
          '(scripts/setup.sh installs it, then rebuild the docs target).';
      return;
    }
    let defaults;
    let variant = example;
    const build = async () => {
      const d = await FfnnLive.call({example: 'defaults', inputs: {example: variant}});
      defaults = d.outputs;
      form.replaceChildren();
      if (example === 'composition') {
        const pick = el('select', {'data-field': 'network'},
                        el('option', {value: 'composition'}, 'XOR with ReLU (J&M, DL4NLP)'),
                        el('option', {value: 'composition.xnor'}, 'XNOR from sigmoid units (LMU)'));
        pick.value = variant;
        pick.addEventListener('change', () => { variant = pick.value; build(); });
        form.append(el('label', {}, 'network ', pick));
      }
      for (const [k, v] of Object.entries(defaults)) {
        if (panel.fixed.includes(k)) continue;
        form.append(el('div', {class: 'ffnn-live-field'},
                       el('span', {class: 'ffnn-live-name'}, k), fieldsFor(panel, k, v)));
      }
      panel.slide = {};  // field -> the slide's text, kept across rebuilds
      for (const input of form.querySelectorAll('input[data-field]')) {
        input.setAttribute('data-slide', input.value);
        panel.slide[input.getAttribute('data-field')] = input.value;
      }
      if (example === 'perceptron') {
        const add = el('button', {type: 'button'}, 'add a point');
        const drop = el('button', {type: 'button'}, 'remove the last');
        panel.slideRows = defaults.points.length;
        panel.rows = () => form.querySelectorAll('[data-field$="][3]"]').length;
        add.onclick = () => rebuild(d => { d.points.push(['0', '0', '1']); });
        drop.onclick = () => rebuild(d => { d.points.pop(); });
        form.append(add, ' ', drop);
      }
      await compute();
    };
    // Keeps the edits while the number of points changes: the fields are
    // read before `change` adds or removes a row.
    const rebuild = change => {
      const keep = readInputs(panel, defaults);
      Object.assign(defaults, keep);
      change(defaults);
      form.querySelectorAll('.ffnn-live-field').forEach(f => f.remove());
      for (const [k, v] of Object.entries(defaults)) {
        if (panel.fixed.includes(k)) continue;
        form.insertBefore(el('div', {class: 'ffnn-live-field'},
                                 el('span', {class: 'ffnn-live-name'}, k),
                                 fieldsFor(panel, k, v)), form.lastChild.previousSibling.previousSibling);
      }
      for (const i of form.querySelectorAll('input[data-field]')) {
        const s = panel.slide[i.getAttribute('data-field')];
        i.setAttribute('data-slide', s === undefined ? 'new' : s);
      }
      compute();
    };
    const compute = async () => {
      const response = await ask(
          root, {example: example, inputs: readInputs(panel, defaults)});
      for (const i of form.querySelectorAll('[data-field]')) i.classList.remove('ffnn-live-bad');
      const changed = edited(panel);
      const note = changed.length
          ? el('p', {class: 'ffnn-live-edited'}, 'Edited: ' + changed.join(', ') +
               '. These numbers are no longer the slide\'s example.')
          : el('p', {class: 'ffnn-live-slide'}, 'The slide\'s example.');
      if (response.ok) {
        out.replaceChildren(RENDER[example](response.outputs));
        status.replaceChildren(note, ...response.notes.map(
            n => el('p', {class: 'ffnn-live-note'}, n)));
        drawn(root, 'ready');
      } else {
        // The field the C++ names, marked; the last good answer is cleared.
        // A whole matrix or list when the error names it (nn-trace's "y").
        const field = response.error.split(':')[0];
        for (const input of form.querySelectorAll('[data-field]')) {
          const f = input.getAttribute('data-field');
          if (f === field || f.startsWith(field + '[') || f.startsWith(field + '.')) {
            input.classList.add('ffnn-live-bad');
          }
        }
        out.replaceChildren();
        status.replaceChildren(note, el('p', {class: 'ffnn-live-error'},
                                        response.error));
        drawn(root, 'error');
      }
    };
    panel.changed = () => {
      clearTimeout(panel.timer);
      panel.timer = setTimeout(compute, 150);
    };
    panel.compute = compute;
    root.ffnnPanel = panel;
    reset.onclick = () => build();
    try {
      await build();
    } catch (e) {
      root.setAttribute('data-state', 'unavailable');
      status.textContent = 'The live module did not load: ' + e.message;
    }
  }

  // ---- nn-trace in the browser ---------------------------------------------

  const escape = t => t.replace(/&/g, '&amp;').replace(/</g, '&lt;')
                       .replace(/>/g, '&gt;');
  const inline = t => escape(t).replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>');
  // The Markdown nn-trace writes: headings, pipe tables, paragraphs, bold.
  function markdownToHtml(md) {
    const out = [];
    const lines = md.split('\n');
    for (let i = 0; i < lines.length;) {
      const line = lines[i];
      const h = /^(#{1,6}) (.*)$/.exec(line);
      if (h) {
        out.push('<h' + (h[1].length + 2) + '>' + inline(h[2]) + '</h' +
                 (h[1].length + 2) + '>');
        ++i;
      } else if (line.startsWith('|')) {
        const rows = [];
        for (; i < lines.length && lines[i].startsWith('|'); ++i) rows.push(lines[i]);
        const cells = r => r.slice(1, r.endsWith('|') ? -1 : undefined).split('|')
                            .map(c => c.trim());
        const body = rows.filter((r, k) => k !== 1 || !/^\|[-:| ]+\|?$/.test(r));
        out.push('<table class="ffnn-live-table">' + body.map((r, k) =>
            '<tr>' + cells(r).map(c => (k ? '<td>' : '<th>') + inline(c) +
                                       (k ? '</td>' : '</th>')).join('') +
            '</tr>').join('') + '</table>');
      } else if (line.trim() === '') {
        ++i;
      } else {
        const para = [];
        for (; i < lines.length && lines[i].trim() !== '' &&
               !/^(#|\|)/.test(lines[i]); ++i) para.push(lines[i]);
        out.push('<p>' + inline(para.join(' ')) + '</p>');
      }
    }
    return out.join('\n');
  }

  const MAX_SHOWN = 256 * 1024;  // characters of Markdown a page draws

  async function makeTracePanel(root) {
    root.setAttribute('data-state', 'loading');
    root.setAttribute('data-count', '0');
    const spec = el('textarea', {rows: 14, cols: 80, 'data-field': 'spec',
                                 spellcheck: 'false', class: 'ffnn-live-spec'});
    const pick = el('select', {'data-field': 'example_spec'});
    const decimals = el('input', {type: 'text', size: 4, 'data-field': 'decimals'});
    const base = el('input', {type: 'text', size: 6, 'data-field': 'log_base'});
    const status = el('div', {class: 'ffnn-live-status'});
    const rendered = el('div', {class: 'ffnn-live-output'});
    const latex = el('textarea', {rows: 10, cols: 80, readonly: 'readonly',
                                  class: 'ffnn-live-latex'});
    const copy = el('button', {type: 'button'}, 'copy the LaTeX');
    const reset = el('button', {type: 'button'}, 'reset to the example');
    root.append(el('div', {class: 'ffnn-live-title'}, 'Live: nn-trace ', reset),
                el('div', {}, el('label', {}, 'example spec ', pick), ' ',
                   el('label', {}, 'decimals ', decimals), ' ',
                   el('label', {}, 'log base ', base)),
                spec, status, rendered,
                el('details', {}, el('summary', {}, 'LaTeX ', copy), latex));
    if (!kind) {
      root.setAttribute('data-state', 'unavailable');
      status.textContent = 'nn-trace runs here as the chapter\'s C++ compiled ' +
          'to WebAssembly; this book was built without emscripten ' +
          '(scripts/setup.sh installs it, then rebuild the docs target).';
      return;
    }
    const d = (await FfnnLive.call({example: 'defaults',
                                    inputs: {example: 'nn_trace'}})).outputs;
    for (const name of Object.keys(d.specs)) pick.append(el('option', {value: name}, name));
    spec.value = d.spec; decimals.value = d.decimals; base.value = d.log_base;
    pick.onchange = () => { spec.value = d.specs[pick.value]; run(); };
    reset.onclick = () => {
      spec.value = d.specs[pick.value]; decimals.value = d.decimals;
      base.value = d.log_base; run();
    };
    copy.onclick = () => { latex.select(); document.execCommand('copy'); };
    let timer = null;
    const run = async () => {
      const response = await ask(root, {example: 'nn_trace', inputs: {
          spec: spec.value, decimals: decimals.value, log_base: base.value}});
      const o = response.outputs || {};
      const error = response.ok ? o.error : response.error;
      for (const f of [decimals, base]) f.classList.remove('ffnn-live-bad');
      if (error) {
        rendered.replaceChildren(); latex.value = '';
        status.replaceChildren(el('p', {class: 'ffnn-live-error'}, error));
        const field = {decimals: decimals, log_base: base}[error.split(':')[0]];
        if (field) field.classList.add('ffnn-live-bad');
        drawn(root, 'error');
      } else if (o.markdown.length > MAX_SHOWN) {
        // A table of a million cells would take the page half a minute.
        rendered.replaceChildren(); latex.value = '';
        status.replaceChildren(el('p', {class: 'ffnn-live-note'},
            'The solution is ' + Math.round(o.markdown.length / 1024) +
            ' KB of Markdown, too large to show here: run nn-trace --spec ' +
            'on the command line for it.'));
        drawn(root, 'ready');
      } else {
        rendered.innerHTML = markdownToHtml(o.markdown);
        latex.value = o.latex;
        status.replaceChildren();
        if (window.MathJax && MathJax.Hub) MathJax.Hub.Queue(['Typeset', MathJax.Hub, rendered]);
        drawn(root, 'ready');
      }
    };
    for (const input of [spec, decimals, base]) {
      input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(run, 250); });
    }
    root.ffnnPanel = {compute: run};
    await run();
  }

  function start() {
    for (const root of document.querySelectorAll('.ffnn-live')) {
      if (root.getAttribute('data-example') === 'nn_trace') makeTracePanel(root);
      else makePanel(root);
    }
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
