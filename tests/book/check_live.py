#!/usr/bin/env python3
"""Drives the book's live panels in headless Chromium and checks them
against the native builds.

Usage:
  check_live.py panels  BOOK_HTML FFNN_LIVE CH01 CH02 CH03 SHOTS [--scalar]
  check_live.py nn_trace BOOK_HTML FFNN_LIVE NN_TRACE SPECS_DIR SHOTS
  check_live.py kernels BOOK_HTML FFNN_LIVE

panels: each live panel of chapters 1-3 is loaded, its slide state read,
then edited step by step (a harness page sets the inputs and reads back
the panel's request, its response and the text it shows). Every response
is compared with `ffnn-live` on the same request, and the slide state with
the chapter targets' --json; out-of-range inputs must show one error line
naming the field (the field marked), and the next valid input must work
again. --scalar runs the same on the scalar module (?live=scalar).
nn_trace: the nn-trace page on both example specs against the nn-trace
command (Markdown, LaTeX and JSON), and on hostile specs (the command's own
error line shown, the page still working afterwards).
kernels: both WebAssembly modules' answers on the kernel test vectors
against the native kernels', within the kernels' error contracts.

Bounds (the WebAssembly and native builds round differently: the native
double kernels use FMA and 4- or 8-lane sums on AVX2/AVX-512, the
WebAssembly ones Highway's EMU128 (no FMA) or 4-lane WASM SIMD, so the last
bits of a sum differ):
  small examples (neuron, perceptron, composition, Iris, nn-trace JSON):
    relative 1e-13 + absolute 1e-15: each number is a chain of at most a
    few dozen roundings (u = 1.1e-16 each), so the builds can differ by a
    few ulp, never by 1e-13;
  optimizers (500 epochs of minibatch training in all): relative 1e-8:
    the rounding differences of the first step grow through the training
    (measured on an AMD EPYC with AVX-512: 1.6e-10 at worst over the
    scenarios; a CPU with other vector widths sums in another order), and
    1e-8 is still far below the 6 digits the panel shows;
  nn-trace Markdown and LaTeX (rounded to 2 decimals): equal text;
  kernels: each result within the sum of the two builds' error contracts
    (kernels/*.h): 2 n u sum|terms| for dot, sum, gemv, gemm; 2 ulp of
    |a x| + |y| for axpy; 10 ulp for sigmoid, tanh and Adam (4 each, and
    rounding); (4 (c + 2) + 2 |x_j - m|) ulp for softmax; max exactly.
Exit status 0 when everything agrees, 1 otherwise (one line per problem),
2 on bad usage.
"""
import decimal
import json
import math
import os
import re
import subprocess
import sys
import tempfile

from check_book import CHROMIUM  # the book test's headless flags

HARNESS = r"""<!DOCTYPE html><html><body><pre id="out">running</pre>
<script>
const scenarios = %(scenarios)s;
const sleep = ms => new Promise(r => setTimeout(r, ms));
async function until(pred, ms) {
  for (let t = 0; t < ms && !pred(); t += 20) await sleep(20);
  return pred();
}
function load(frame, url) {
  return new Promise(resolve => { frame.onload = resolve; frame.src = url; });
}
function snapshot(root, win) {
  const text = sel => { const e = root.querySelector(sel); return e ? e.innerText : ''; };
  return {state: root.getAttribute('data-state'),
          count: Number(root.getAttribute('data-count')),
          request: root.ffnnRequest || null,
          response: root.ffnnLast || null,
          status: text('.ffnn-live-status'),
          output: text('.ffnn-live-output').slice(0, 4000),
          bad: [...root.querySelectorAll('.ffnn-live-bad')].map(
              e => e.getAttribute('data-field')),
          kind: win.FfnnLive ? win.FfnnLive.kind : null};
}
async function changed(root, before) {
  return until(() => Number(root.getAttribute('data-count')) > before, 30000);
}
async function run(sc) {
  const frame = document.createElement('iframe');
  frame.style.width = '1200px'; frame.style.height = '900px';
  document.body.appendChild(frame);
  await load(frame, sc.url);
  const win = frame.contentWindow, doc = frame.contentDocument;
  const root = doc.getElementById(sc.panel);
  const rec = {name: sc.name, steps: []};
  if (!root) { rec.problem = 'no element #' + sc.panel; frame.remove(); return rec; }
  await until(() => ['ready', 'error', 'unavailable'].includes(
      root.getAttribute('data-state')), 60000);
  rec.steps.push(snapshot(root, win));
  for (const step of sc.steps) {
    const before = Number(root.getAttribute('data-count'));
    if (step.select !== undefined) {
      const s = root.querySelector('select');
      s.value = step.select; s.dispatchEvent(new Event('change'));
      await changed(root, before);
    } else if (step.button !== undefined) {
      [...root.querySelectorAll('button')].find(
          b => b.textContent === step.button).click();
      await changed(root, before);
    } else {
      let last = null;
      for (const [field, value] of Object.entries(step.set)) {
        last = root.querySelector('[data-field="' + field + '"]');
        if (!last) { rec.problem = 'no field ' + field; break; }
        last.value = value;
      }
      if (rec.problem) break;
      // As a reader types: the input event, then the panel's own delay.
      last.dispatchEvent(new Event('input'));
      await changed(root, before);
    }
    rec.steps.push(snapshot(root, win));
  }
  frame.remove();
  return rec;
}
(async () => {
  const results = [];
  for (const sc of scenarios) results.push(await run(sc));
  document.getElementById('out').textContent = 'RESULTS ' + JSON.stringify(results);
})();
</script></body></html>
"""

KERNEL_HARNESS = r"""<!DOCTYPE html><html><body><pre id="out">running</pre>
<script src="%(book)s/live_simd.js"></script>
<script src="%(book)s/live_scalar.js"></script>
<script>
(async () => {
  const out = {};
  for (const [kind, factory] of [['simd', FfnnLiveSimd], ['scalar', FfnnLiveScalar]]) {
    const m = await factory();
    out[kind] = JSON.parse(m.ccall('ffnn_live_call', 'string', ['string'],
                                   [JSON.stringify({example: 'kernels'})]));
  }
  document.getElementById('out').textContent = 'RESULTS ' + JSON.stringify(out);
})();
</script></body></html>
"""

problems = []


def problem(where, what):
    problems.append(f'{where}: {what}')


def run_harness(html, tmp, shots=None, screenshot_urls=()):
    harness = os.path.join(tmp, 'harness.html')
    with open(harness, 'w') as f:
        f.write(html)
    run = subprocess.run(
        CHROMIUM + ['--user-data-dir=' + os.path.join(tmp, 'profile'),
                    '--allow-file-access-from-files',
                    '--enable-logging=stderr', '--v=0',
                    '--virtual-time-budget=900000', '--dump-dom',
                    'file://' + harness],
        capture_output=True, text=True, timeout=1200)
    m = re.search(r'RESULTS (.*)</pre>', run.stdout, re.S)
    if not m:
        print('check_live: error: the harness did not finish: ' +
              run.stdout[-300:].replace('\n', ' '), file=sys.stderr)
        sys.exit(1)
    for line in run.stderr.splitlines():
        if 'CONSOLE' in line and 'harness.html' not in line:
            problem('console', line)
    for name, url in screenshot_urls:
        subprocess.run(
            CHROMIUM + ['--user-data-dir=' + os.path.join(tmp, 'shots'),
                        '--allow-file-access-from-files',
                        '--window-size=1280,1100',
                        '--virtual-time-budget=20000',
                        '--screenshot=' + os.path.join(shots, name + '.png'),
                        url], capture_output=True, timeout=300)
    text = m.group(1).replace('&lt;', '<').replace('&gt;', '>') \
                     .replace('&quot;', '"').replace('&amp;', '&')
    return json.loads(text)


def native(tool, request):
    run = subprocess.run([tool, '-'], input=json.dumps(request),
                         capture_output=True, text=True, timeout=120)
    return json.loads(run.stdout)


def compare(where, got, want, rel, abs_=0.0, path=''):
    """Numbers within |got - want| <= rel |want| + abs_; the rest equal."""
    if isinstance(want, bool) or isinstance(got, bool):
        if got != want:
            problem(where, f'{path}: {got} != {want}')
    elif isinstance(want, (int, float)) and isinstance(got, (int, float)):
        if not abs(got - want) <= rel * abs(want) + abs_:
            problem(where, f'{path}: {got!r} vs native {want!r} '
                           f'(bound {rel} relative + {abs_})')
    elif isinstance(want, dict) and isinstance(got, dict):
        if set(got) != set(want):
            problem(where, f'{path}: keys {sorted(got)} != {sorted(want)}')
        for k in want:
            if k in got:
                compare(where, got[k], want[k], rel, abs_, f'{path}.{k}')
    elif isinstance(want, list) and isinstance(got, list):
        if len(got) != len(want):
            problem(where, f'{path}: {len(got)} entries, native {len(want)}')
        for i, (g, w) in enumerate(zip(got, want)):
            compare(where, g, w, rel, abs_, f'{path}[{i}]')
    elif got != want:
        problem(where, f'{path}: {str(got)[:80]!r} != native {str(want)[:80]!r}')


def max_difference(got, want):
    """The largest relative difference of two answers' numbers."""
    if isinstance(want, bool):
        return 0.0
    if isinstance(want, (int, float)):  # below 1e-15 counts as zero
        return abs(got - want) / max(abs(want), 1e-15) if got != want else 0.0
    if isinstance(want, dict):
        return max([max_difference(got[k], want[k]) for k in want] or [0.0])
    if isinstance(want, list):
        return max([max_difference(g, w) for g, w in zip(got, want)] or [0.0])
    return 0.0


def chapter_values(target):
    out = subprocess.run([target, '--json'], capture_output=True, text=True,
                         timeout=300).stdout
    return {e['id']: e['values'] for e in json.loads(out)['examples']}


# ---- panels -------------------------------------------------------------

BOUNDS = {'neuron': (1e-13, 1e-15), 'perceptron': (1e-13, 1e-15),
          'composition': (1e-13, 1e-15), 'iris': (1e-13, 1e-15),
          'optimizers': (1e-8, 1e-12)}

# Each scenario: the panel, then edits. 'error' names the field a step must
# be refused for (its error line starting with it, the field marked).
SCENARIOS = [
    ('neuron', 'ch01.html', [
        {'set': {'w[1]': '0.7'}},
        {'set': {'b': '40'}, 'note': 'saturated'},
        {'set': {'x[2]': 'NaN'}, 'error': 'x[2]'},
        {'set': {'x[2]': '1e400'}, 'error': 'x[2]'},
        {'set': {'x[2]': ''}, 'error': 'x[2]'},
        {'set': {'x[2]': '0.25'}},
        {'button': 'reset to the slide', 'slide': True},
    ]),
    ('perceptron', 'ch01.html', [
        {'set': {'eta': '0.2'}},
        {'set': {'eta': '-1'}, 'error': 'eta'},
        {'set': {'eta': '1', 'points[3][3]': '0'}, 'error': 'points[3][3]'},
        {'set': {'points[3][3]': '-1', 'max_epochs': '1e9'},
         'error': 'max_epochs'},
        {'set': {'max_epochs': '100', 'points[1][1]': '0', 'points[1][2]': '0',
                 'points[1][3]': '-1', 'points[2][1]': '0',
                 'points[2][2]': '1', 'points[2][3]': '1', 'points[3][1]': '1',
                 'points[3][2]': '0', 'points[3][3]': '1', 'points[4][1]': '1',
                 'points[4][2]': '1', 'points[4][3]': '-1'}, 'note': 'cycle'},
        {'button': 'add a point'},
        {'button': 'remove the last'}, {'button': 'remove the last'},
        {'button': 'remove the last'}, {'button': 'remove the last'},
        # No point left: nothing to mark, the error line names the list.
        {'button': 'remove the last', 'error': 'points', 'unmarked': True},
        {'button': 'reset to the slide', 'slide': True},
    ]),
    ('composition', 'ch02.html', [
        {'set': {'W2[1][2]': '-1'}, 'note': 'no longer compute XOR'},
        {'set': {'W2[1][2]': 'inf'}, 'error': 'W2[1][2]'},
        {'set': {'W2[1][2]': '-2'}, 'slide': True},
        {'select': 'composition.xnor', 'slide': True},
        {'set': {'b1[1]': '-50'}},
        {'button': 'reset to the slide', 'slide': True},
    ]),
    ('iris', 'ch03.html', [
        {'set': {'x[1][1]': '5.1', 'x[1][2]': '3.5'}},
        {'set': {'y[1][1]': '0', 'y[1][2]': '1'}},
        {'set': {'y[1][2]': '2'}, 'error': 'y[1][2]'},
        {'set': {'y[1][2]': '1', 'W1[2][2]': '1e7'}, 'error': 'W1[2][2]'},
        {'set': {'W1[2][2]': '-0.6'}},
        {'button': 'reset to the slide', 'slide': True},
    ]),
    ('optimizers', 'ch03.html', [
        {'set': {'lr.SGD': '500'}, 'note': 'diverged'},
        {'set': {'lr.SGD': '0.1', 'epochs': '30', 'batch': '7', 'seed': '3'}},
        {'set': {'batch': '0'}, 'error': 'batch'},
        {'set': {'batch': '16', 'epochs': '-5'}, 'error': 'epochs'},
        {'button': 'reset to the slide', 'slide': True},
    ]),
]


def check_slide_values(name, out, ch):
    """The panel's slide state against the chapter targets' --json."""
    def near(what, got, want, bound=1e-13):
        if not abs(got - want) <= bound * max(1.0, abs(want)):
            problem(name, f'slide state: {what} = {got!r}, the chapter '
                          f'target prints {want!r}')
    if name == 'neuron':
        v = ch['ch01']['unit.sigmoid_example']
        near('z', out['z'], v['z'])
        near('sigma(z)', out['sigma(z)'], v['sigma(z)'])
    elif name == 'perceptron':
        v = ch['ch01']['perceptron.training_trace']
        for i in range(3):
            near(f'final w{i}', out['w'][i], v[f'final w{i}'])
        near('epochs', out['epochs'], v['epochs'])
        for k in range(5):
            s = out['steps'][k]
            near(f'step {k + 1} loss', s['loss'], v[f'L step {k + 1}'])
    elif name == 'composition':
        v = ch['ch02']['xor.relu_network']
        for i in range(4):
            near(f'yhat {i}', out['table'][i]['yhat'], v[f'Hw[{i}]'])
    elif name == 'iris':
        v = ch['ch02']['iris.forward']
        for k in range(3):
            near(f'yhat_{k + 1}', out['layers'][1]['a'][0][k], v[f'yhat_{k + 1}'])
            near(f'a2_{k + 1}', out['layers'][1]['z'][0][k], v[f'a2_{k + 1}'])
    elif name == 'optimizers':
        v = ch['ch03']['optimizers']
        for run in out['runs']:
            n = run['optimizer']
            near(f'{n} final train loss', run['train_loss'][-1],
                 v[f'{n} final train loss'], BOUNDS['optimizers'][0])
            near(f'{n} test accuracy', run['test_accuracy'],
                 v[f'{n} test accuracy'])


def lookup(inputs, field):
    """The value a page field names in the request: w[2] is inputs['w'][1],
    W1[1][2] inputs['W1'][0][1], lr.Adam inputs['lr']['Adam']."""
    m = re.match(r'([A-Za-z0-9_]+)((?:\[\d+\])*)(?:\.(\w+))?$', field)
    value = inputs[m.group(1)]
    for index in re.findall(r'\[(\d+)\]', m.group(2)):
        value = value[int(index) - 1]
    return value[m.group(3)] if m.group(3) else value


def shown(x):
    """A number as the page prints it (6 significant digits, as the chapter
    targets do; JavaScript's shortest form)."""
    v = float(f'{x:.6g}')
    if v == int(v) and abs(v) < 1e21:
        return str(int(v))
    if abs(v) < 1e-6:  # JavaScript: 9.35762e-14, 1e-7 (one exponent digit)
        return re.sub(r'e([+-])0(\d)', r'e\1\2', repr(v))
    return format(decimal.Decimal(repr(v)), 'f')  # 0.0000454804


def quantities(name, o):
    """What a panel must show of its response."""
    if name == 'neuron':
        return [shown(o['z']), shown(o['sigma(z)'])]
    if name == 'perceptron':
        return [f"after {o['epochs']} epochs"] + [shown(w) for w in o['w']]
    if name == 'composition':
        return [shown(r['yhat']) for r in o['table']]
    if name == 'iris':
        return [shown(o['loss'])] + [shown(v) for v in o['layers'][1]['a'][0]]
    return [shown(r['train_loss'][-1]) for r in o['runs'] if not r['diverged']]


def check_panels(args, scalar):
    book, tool, ch01, ch02, ch03, shots = args
    ch = {'ch01': chapter_values(ch01), 'ch02': chapter_values(ch02),
          'ch03': chapter_values(ch03)}
    query = '?live=scalar' if scalar else ''
    scenarios = [{'name': name, 'panel': 'live_' + name,
                  'url': 'file://' + os.path.join(book, page) + query,
                  'steps': steps} for name, page, steps in SCENARIOS]
    os.makedirs(shots, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        results = run_harness(
            HARNESS % {'scenarios': json.dumps(scenarios)}, tmp, shots,
            [] if scalar else
            [('live_' + n, 'file://' + os.path.join(book, p) + '#live_' + n)
             for n, p, _ in SCENARIOS])
    worst = {}
    for (name, _, steps), rec in zip(SCENARIOS, results):
        if rec.get('problem'):
            problem(name, rec['problem'])
            continue
        want_kind = 'scalar' if scalar else 'simd'
        first = rec['steps'][0]
        if first['kind'] != want_kind:
            problem(name, f"ran on the {first['kind']} module, not {want_kind}")
        if first['state'] != 'ready':
            problem(name, f"slide state is {first['state']}: {first['status']}")
            continue
        check_slide_values(name, first['response']['outputs'], ch)
        expected = [{'slide': True}] + steps
        for k, (step, snap) in enumerate(zip(expected, rec['steps'])):
            where = f'{name} step {k}'
            for bad in ('NaN', 'undefined', 'Infinity'):
                if bad in snap['output']:
                    problem(where, f'shows {bad}: {snap["output"][:120]!r}')
            response = snap['response']
            if 'error' in step:
                if snap['state'] != 'error' or response['ok']:
                    problem(where, f'{step} was accepted')
                    continue
                if not response['error'].startswith(step['error'] + ':'):
                    problem(where, f"error {response['error']!r} does not "
                                   f"name {step['error']}")
                if response['error'] not in snap['status']:
                    problem(where, 'the error line is not shown')
                if 'Edited:' not in snap['status']:
                    problem(where, 'a refused input is not noted as an edit')
                if snap['output'].strip():
                    problem(where, 'an output is still shown beside the error')
                marked = [f for f in snap['bad']]
                if not marked and not step.get('unmarked'):
                    problem(where, f"no field marked for {step['error']}")
                continue
            if snap['state'] != 'ready' or not response['ok']:
                problem(where, f"{snap['state']}: {snap['status'][:200]}")
                continue
            for field, value in step.get('set', {}).items():
                if str(lookup(snap['request']['inputs'], field)) != value:
                    problem(where, f'the request has {field} = '
                                   f"{lookup(snap['request']['inputs'], field)!r},"
                                   f' the page field {value!r}')
            for q in quantities(name, response['outputs']):
                if q not in snap['output']:
                    problem(where, f'does not show {q}: '
                                   f"{snap['output'][:100]!r}")
            mine = native(tool, snap['request'])
            rel, abs_ = BOUNDS[name]
            compare(where, response, mine, rel, abs_)
            worst[name] = max(worst.get(name, 0.0), max_difference(
                response['outputs'], mine['outputs']))
            if 'note' in step and step['note'] not in snap['status']:
                problem(where, f"no note '{step['note']}': {snap['status']!r}")
            slide_note = "The slide's example." in snap['status']
            if step.get('slide') and not slide_note:
                problem(where, 'the slide state is not labelled as the slide')
            if not step.get('slide') and ('Edited:' not in snap['status']):
                problem(where, 'an edited input is not noted')
        # Reset returns to the slide's answer.
        last = rec['steps'][-1]
        if steps[-1].get('button') == 'reset to the slide' and \
                last['response'] != first['response'] and name != 'composition':
            problem(name, 'reset to the slide did not restore its answer')
    mode = 'scalar' if scalar else 'SIMD'
    for name, rec in zip([s[0] for s in SCENARIOS], results):
        # (No timings: under --virtual-time-budget a page's clock stands
        # still while it computes; bench/live_wasm.py times the pages.)
        print(f"{name} ({mode}): {len(rec['steps'])} states checked, largest "
              f"relative difference to native {worst.get(name, 0.0):.3g}")


# ---- nn-trace ---------------------------------------------------------------

HOSTILE = [
    ('not JSON', '{"layers": ['),
    ('a string for W', '{"layers": [{"W": "x", "b": [0], "activation": '
                       '"relu"}], "loss": "mse", "x": [[1]], "y": [[1]], '
                       '"learning_rate": 1}'),
    ('nested 100000 deep', '[' * 100000),
    ('softmax with mse', '{"layers": [{"W": [[1, 2]], "b": [0], '
                         '"activation": "softmax"}], "loss": "mse", '
                         '"x": [[1, 2]], "y": [[1]], "learning_rate": 1}'),
    ('overflowing weights', None),  # tests/data/nn_trace_overflow.json
]


def check_nn_trace(args):
    book, tool, nn_trace, specs, shots = args
    specs_text = {n: open(os.path.join(specs, n)).read()
                  for n in ('iris_walkthrough.json', 'ucl_2_2_1.json')}
    overflow = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            '..', 'data', 'nn_trace_overflow.json')
    hostile = [(n, t if t is not None else open(overflow).read())
               for n, t in HOSTILE]
    steps = [{'select': 'ucl_2_2_1.json'},
             {'set': {'decimals': '-1', 'log_base': '10'}}]
    for _, text in hostile:
        steps.append({'set': {'spec': text}})
    steps.append({'set': {'spec': specs_text['iris_walkthrough.json'],
                          'decimals': '2', 'log_base': 'e'}})
    url = 'file://' + os.path.join(book, 'nn_trace_live.html')
    os.makedirs(shots, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        rec = run_harness(HARNESS % {'scenarios': json.dumps([
            {'name': 'nn_trace', 'panel': 'live_nn_trace', 'url': url,
             'steps': steps}])}, tmp, shots,
            [('live_nn_trace', url + '#live_nn_trace')])[0]
        if rec.get('problem'):
            problem('nn_trace', rec['problem'])
            return
        for k, snap in enumerate(rec['steps']):
            where = f'nn_trace step {k}'
            inputs = snap['request']['inputs']
            spec_file = os.path.join(tmp, f'spec{k}.json')
            with open(spec_file, 'w') as f:
                f.write(inputs['spec'])
            cmd = [nn_trace, '--spec', spec_file]
            if inputs['decimals'] not in ('-1', -1):
                cmd += ['--round', str(inputs['decimals'])]
            if inputs['log_base'] != 'e':
                cmd += ['--log-base', str(inputs['log_base'])]
            outputs = {}
            for fmt in ('markdown', 'latex', 'json'):
                run = subprocess.run(cmd + ['--format', fmt],
                                     capture_output=True, text=True)
                outputs[fmt] = (run.returncode, run.stdout, run.stderr)
            status, _, stderr = outputs['markdown']
            response = snap['response']['outputs']
            if status != 0:
                if snap['state'] != 'error':
                    problem(where, 'nn-trace refuses the spec, the page '
                                   'did not')
                elif response.get('error') != stderr.strip():
                    problem(where, f"page says {response.get('error')!r}, "
                                   f"nn-trace {stderr.strip()!r}")
                elif stderr.strip() not in snap['status']:
                    problem(where, 'the error line is not shown')
                continue
            if snap['state'] != 'ready':
                problem(where, f"{snap['state']}: {snap['status'][:200]}")
                continue
            for fmt in ('markdown', 'latex'):
                if response[fmt] != outputs[fmt][1]:
                    problem(where, f'{fmt} differs from nn-trace --format {fmt}')
            compare(where, json.loads(response['json']),
                    json.loads(outputs['json'][1]), 1e-13, 1e-15)
            if 'Forward pass' not in snap['output']:
                problem(where, 'the Markdown is not rendered')
        kinds = [rec['steps'][k]['state'] for k in range(len(rec['steps']))]
        if kinds[-1] != 'ready':
            problem('nn_trace', 'the page did not recover after the '
                                'hostile specs')
        print(f"nn_trace: {len(rec['steps'])} states ({kinds.count('error')} "
              f"refused as nn-trace refuses them)")


# ---- kernels ----------------------------------------------------------------

def check_kernel_results(kind, t, got, want):
    u = 2.0 ** -24 if t == 'f32' else 2.0 ** -53
    ulp = 2 * u
    for g, w in zip(got, want):
        n = w['n']
        where = f'{kind} {t} n={n}'

        def within(what, a, b, bound):
            if not abs(a - b) <= bound:
                problem(where, f'{what}: {a!r} vs native {b!r} (bound {bound:.3g})')
        within('dot', g['dot'], w['dot'], 2 * n * u * w['abs_dot'])
        within('sum', g['sum'], w['sum'], 2 * n * u * n)
        if g['max'] != w['max']:
            problem(where, f"max: {g['max']} vs {w['max']}")
        for i, (a, b) in enumerate(zip(g['axpy'], w['axpy'])):
            within(f'axpy[{i}]', a, b, 2 * ulp * (0.75 + 1))
        for name in ('sigmoid', 'tanh', 'adam'):
            for i, (a, b) in enumerate(zip(g[name], w[name])):
                within(f'{name}[{i}]', a, b, 10 * ulp * abs(b) + 1e-300)
        for i, (a, b) in enumerate(zip(g['softmax'], w['softmax'])):
            within(f'softmax[{i}]', a, b, (4 * (n + 2) + 2 * 16) * ulp * abs(b))
        for name in ('gemv', 'gemm'):
            for i, (a, b) in enumerate(zip(g[name], w[name])):
                within(f'{name}[{i}]', a, b, 2 * n * u * n)
        for name in ('axpy', 'sigmoid', 'tanh', 'softmax', 'gemv', 'gemm',
                     'adam'):
            if len(g[name]) != len(w[name]):
                problem(where, f'{name}: {len(g[name])} values, native '
                               f'{len(w[name])}')


def check_kernels(args):
    book, tool = args
    want = native(tool, {'example': 'kernels'})['outputs']
    with tempfile.TemporaryDirectory() as tmp:
        got = run_harness(KERNEL_HARNESS % {'book': 'file://' + book}, tmp)
    for kind in ('simd', 'scalar'):
        for t in ('f32', 'f64'):
            check_kernel_results(kind, t, got[kind]['outputs'][t], want[t])
            print(f'kernels ({kind}, {t}): {len(want[t])} sizes checked; '
                  f'largest relative difference to native '
                  f'{max_difference(got[kind]["outputs"][t], want[t]):.3g}')


def main():
    usage = ('check_live: error: usage: check_live.py panels|nn_trace|'
             'kernels BOOK_HTML FFNN_LIVE ...')
    if len(sys.argv) < 4:
        print(usage, file=sys.stderr)
        return 2
    mode, rest = sys.argv[1], [os.path.abspath(a) if not a.startswith('--')
                               else a for a in sys.argv[2:]]
    scalar = '--scalar' in rest
    rest = [a for a in rest if a != '--scalar']
    if not os.path.exists(os.path.join(rest[0], 'live_simd.js')):
        print(f'check_live: error: {rest[0]} has no live modules (the book '
              'was built without emscripten: scripts/setup.sh installs it)',
              file=sys.stderr)
        return 1
    if mode == 'panels' and len(rest) == 6:
        check_panels(rest, scalar)
    elif mode == 'nn_trace' and len(rest) == 5:
        check_nn_trace(rest)
    elif mode == 'kernels' and len(rest) == 2:
        check_kernels(rest)
    else:
        print(usage, file=sys.stderr)
        return 2
    for p in problems:
        print('check_live: error: ' + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
