#!/usr/bin/env python3
"""The book's live panels, measured in headless Chromium: what they add to a
page (bytes), how long a page takes to its first answer, and the kernels'
speed in the SIMD module against the scalar one in the same browser (and
natively, through ffnn-live, on the same machine).

Usage: bench/live_wasm.py BOOK_HTML FFNN_LIVE [OUT_DIR]
Writes OUT_DIR/live_wasm.json and live_wasm.md (default bench/results).
Run after `cmake --build --preset default --target docs` with emscripten
installed. Timings, not tests: nothing here passes or fails.
"""
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile

import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'tests', 'book'))
import check_live  # noqa: E402  (ffnn-live's runner)


def evaluate_when_ready(url, expression, profile, timeout=300):
    """Opens url in a fresh headless Chromium and returns the first non-empty
    value of `expression`, polled through the DevTools protocol on a pipe
    (--remote-debugging-pipe: null-terminated JSON on fds 3 and 4). Real
    time: --dump-dom needs --virtual-time-budget, under which a page's
    clock stands still while it computes, so nothing could be timed."""
    to_chrome_r, to_chrome_w = os.pipe()
    from_chrome_r, from_chrome_w = os.pipe()

    def pipes():
        os.dup2(to_chrome_r, 3)
        os.dup2(from_chrome_w, 4)
    chrome = subprocess.Popen(
        check_live.CHROMIUM + ['--remote-debugging-pipe',
                               '--allow-file-access-from-files',
                               '--user-data-dir=' + profile, url],
        pass_fds=(3, 4), preexec_fn=pipes, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    os.close(to_chrome_r)
    os.close(from_chrome_w)
    state = {'id': 0, 'buffer': b''}

    def call(method, params=None, session=None):
        state['id'] += 1
        message = {'id': state['id'], 'method': method, 'params': params or {}}
        if session:
            message['sessionId'] = session
        os.write(to_chrome_w, json.dumps(message).encode() + b'\0')
        while True:
            while b'\0' not in state['buffer']:
                chunk = os.read(from_chrome_r, 1 << 16)
                if not chunk:
                    raise RuntimeError('chromium closed the pipe')
                state['buffer'] += chunk
            raw, state['buffer'] = state['buffer'].split(b'\0', 1)
            answer = json.loads(raw)
            if answer.get('id') == state['id']:
                return answer.get('result', {})
    try:
        page = next(t for t in call('Target.getTargets')['targetInfos']
                    if t['type'] == 'page')
        session = call('Target.attachToTarget', {
            'targetId': page['targetId'], 'flatten': True})['sessionId']
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = call('Runtime.evaluate', {
                'expression': expression, 'returnByValue': True},
                session).get('result', {}).get('value')
            if value:
                return value
            time.sleep(0.05)
        raise RuntimeError(f'{url}: no answer in {timeout} s')
    finally:
        chrome.kill()
        chrome.wait()
        os.close(to_chrome_w)
        os.close(from_chrome_r)

PAGES = [('ch01.html', 'live_neuron'), ('ch02.html', 'live_composition'),
         ('ch03.html', 'live_iris'), ('nn_trace_live.html', 'live_nn_trace')]
LOADS = 5  # loads of each page
# (kernel, type, n, reps): about 0.1-0.3 s per run in the browser.
KERNELS = [('dot', 'f32', 4096, 20000), ('dot', 'f64', 4096, 10000),
           ('gemm', 'f32', 128, 100), ('gemm', 'f64', 128, 50)]
RUNS = 5  # median of

FIRST_ANSWER = ("window.FfnnLive && FfnnLive.firstResultSinceLoadMs !== null"
                " ? JSON.stringify({kind: FfnnLive.kind,"
                " since_load_ms: FfnnLive.firstResultSinceLoadMs,"
                " since_script_ms: FfnnLive.firstResultMs}) : ''")

BENCH_HARNESS = r"""<!DOCTYPE html><html><body><pre id="out">running</pre>
<script src="%(book)s/live_simd.js"></script>
<script src="%(book)s/live_scalar.js"></script>
<script>
const cases = %(cases)s, runs = %(runs)d;
(async () => {
  const out = {};
  for (const [kind, factory] of [['simd', FfnnLiveSimd], ['scalar', FfnnLiveScalar]]) {
    const m = await factory();
    out[kind] = [];
    for (const [kernel, type, n, reps] of cases) {
      const times = [];
      for (let r = 0; r < runs; ++r) {
        const a = JSON.parse(m.ccall('ffnn_live_call', 'string', ['string'],
            [JSON.stringify({example: 'bench', inputs: {kernel, type, n, reps}})]));
        times.push(a.outputs.ns_per_call);
      }
      out[kind].push({kernel, type, n, ns: times});
    }
  }
  window.results = JSON.stringify(out);
})();
</script></body></html>
"""


def main():
    if len(sys.argv) not in (3, 4):
        print('live_wasm: error: usage: live_wasm.py BOOK_HTML FFNN_LIVE '
              '[OUT_DIR]', file=sys.stderr)
        return 2
    book, tool = (os.path.abspath(a) for a in sys.argv[1:3])
    out_dir = sys.argv[3] if len(sys.argv) == 4 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), 'results')
    if not os.path.exists(os.path.join(book, 'live_simd.js')):
        print(f'live_wasm: error: {book} has no live modules (build the docs '
              'target with emscripten installed)', file=sys.stderr)
        return 2
    sizes = {f: os.path.getsize(os.path.join(book, f)) for f in
             ('live.js', 'live.css', 'live_builds.js', 'live_simd.js',
              'live_scalar.js')}
    added = sizes['live.js'] + sizes['live.css'] + sizes['live_builds.js']
    with tempfile.TemporaryDirectory() as tmp:
        loads = []  # each a cold start: a new browser and profile
        for query in ('', '?live=scalar'):
            for page, _ in PAGES:
                for k in range(LOADS):
                    url = 'file://' + os.path.join(book, page) + query
                    r = json.loads(evaluate_when_ready(
                        url, FIRST_ANSWER, os.path.join(tmp, f'p{len(loads)}')))
                    loads.append(dict(r, url=url))
        harness = os.path.join(tmp, 'bench.html')
        with open(harness, 'w') as f:
            f.write(BENCH_HARNESS % {'book': 'file://' + book,
                                     'cases': json.dumps(KERNELS),
                                     'runs': RUNS})
        bench = json.loads(evaluate_when_ready(
            'file://' + harness, "window.results || ''",
            os.path.join(tmp, 'bench')))
    native = []
    for kernel, t, n, reps in KERNELS:
        times = [check_live.native(tool, {'example': 'bench', 'inputs': {
            'kernel': kernel, 'type': t, 'n': n, 'reps': reps * 10}})
            ['outputs']['ns_per_call'] for _ in range(RUNS)]
        native.append(statistics.median(times))
    first = {}
    for r in loads:
        page = os.path.basename(r['url'].split('?')[0])
        first.setdefault((page, r['kind']), []).append(r['since_load_ms'])
    result = {
        'machine': platform.processor() or platform.machine(),
        'cpu': open('/proc/cpuinfo').read().split('model name')[1]
               .split('\n')[0].strip(' :\t'),
        'chromium': subprocess.run(['chromium', '--version'],
                                   capture_output=True, text=True).stdout.strip(),
        'bytes': sizes, 'page_adds_bytes': {
            'simd': added + sizes['live_simd.js'],
            'scalar': added + sizes['live_scalar.js']},
        'first_answer_ms': {f'{p} {k}': statistics.median(v)
                            for (p, k), v in first.items()},
        'kernels': [{'kernel': k, 'type': t, 'n': n,
                     'simd_ns': statistics.median(s['ns']),
                     'scalar_ns': statistics.median(c['ns']),
                     'native_ns': nat}
                    for (k, t, n, _), s, c, nat in
                    zip(KERNELS, bench['simd'], bench['scalar'], native)]}
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, 'live_wasm.json'), 'w') as f:
        json.dump(result, f, indent=1)
    kb = lambda b: f'{b / 1024:.0f} KB'
    lines = [
        '# The live panels in the browser', '',
        f"{result['cpu']}, {result['chromium']}, headless; medians of "
        f'{LOADS} page loads and of {RUNS} kernel runs '
        '(bench/live_wasm.py).', '',
        '## Page weight', '',
        '| file | size |', '|---|---|'] + [
        f'| {f} | {kb(b)} |' for f, b in sizes.items()] + [
        '',
        f"A live page adds {kb(result['page_adds_bytes']['simd'])} "
        f"(SIMD module) or {kb(result['page_adds_bytes']['scalar'])} "
        '(scalar): live.js, its stylesheet and one module, with the '
        'WebAssembly inside as base64 (file:// pages may not fetch a .wasm).',
        '', '## Time to the first answer', '',
        'A cold start each time (a new browser and profile): the page '
        'loads, live.js loads the module, compiles and instantiates its '
        'WebAssembly, asks for the slide\'s inputs and computes the first '
        'answer.', '',
        '| page | module | ms from navigation start |', '|---|---|---|'] + [
        f'| {p.split()[0]} | {p.split()[1]} | {ms:.0f} |'
        for p, ms in sorted(result['first_answer_ms'].items())] + [
        '', '## Kernels: WebAssembly SIMD against scalar, same browser', '',
        '| kernel | type | n | SIMD (WASM) | scalar (EMU128) | SIMD speed-up '
        '| native (this CPU) |', '|---|---|---|---|---|---|---|'] + [
        f"| {r['kernel']} | {r['type']} | {r['n']} | {r['simd_ns'] / 1e3:.1f} µs "
        f"| {r['scalar_ns'] / 1e3:.1f} µs | {r['scalar_ns'] / r['simd_ns']:.2f}× "
        f"| {r['native_ns'] / 1e3:.1f} µs |" for r in result['kernels']] + [
        '', 'The double kernels of the SIMD module are Highway\'s EMU128 code '
        '(Highway 1.0.3 has no double vectors on WASM), which clang still '
        'vectorizes with -msimd128 into f64x2 operations; the scalar module '
        'has no SIMD at all.', '']
    with open(os.path.join(out_dir, 'live_wasm.md'), 'w') as f:
        f.write('\n'.join(lines))
    print('\n'.join(lines))
    return 0


if __name__ == '__main__':
    sys.exit(main())
