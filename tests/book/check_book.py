#!/usr/bin/env python3
"""Opens every page of the built book in headless Chromium and checks it.

Usage: check_book.py BOOK_HTML_DIR SCREENSHOT_DIR

For every *.html page of the book:
  - every image loaded (complete, with a natural width);
  - MathJax ran and rendered every formula without an error (no MathJax
    error element, no TeX delimiter \\( or \\[ left in the text);
  - every internal link resolves: its file exists and its #anchor names an
    element of that file;
  - the console shows no error (Chromium's log, on stderr);
and a screenshot of the page's first screen is saved in SCREENSHOT_DIR.
A harness page loads each book page in an iframe (Chromium runs with
--allow-file-access-from-files, so it may read their DOM) and writes its
findings into its own DOM, which --dump-dom prints. Exit status 0 when every
page passes, 1 otherwise (one line per problem), 2 on bad usage.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

HARNESS = r"""<!DOCTYPE html><html><body><pre id="out">running</pre>
<script>
const pages = %(pages)s;
const results = [];
const sleep = ms => new Promise(r => setTimeout(r, ms));
function load(frame, url) {
  return new Promise(resolve => { frame.onload = resolve; frame.src = url; });
}
async function fetchDoc(url) {
  return new Promise(resolve => {
    const x = new XMLHttpRequest();
    x.onload = () => resolve(x.responseText);
    x.onerror = () => resolve(null);
    x.open('GET', url); x.send();
  });
}
async function mathDone(win) {
  for (let i = 0; i < 600 && !(win.MathJax && win.MathJax.Hub); ++i) await sleep(50);
  if (!(win.MathJax && win.MathJax.Hub)) return false;
  let done = false;
  win.MathJax.Hub.Queue(() => { done = true; });
  for (let i = 0; i < 1200 && !done; ++i) await sleep(50);
  return done;
}
async function check(url) {
  const r = {page: url.split('/').pop(), problems: [], images: 0, formulas: 0, links: 0};
  const frame = document.createElement('iframe');
  frame.style.width = '1200px'; frame.style.height = '900px';
  document.body.appendChild(frame);
  await load(frame, url);
  const win = frame.contentWindow, doc = frame.contentDocument;
  const hasMath = doc.querySelector('script[src*="MathJax"]') !== null;
  if (hasMath && !(await mathDone(win))) r.problems.push('MathJax did not finish');
  for (const img of doc.images) {
    ++r.images;
    for (let i = 0; i < 100 && !img.complete; ++i) await sleep(20);
    if (!img.complete || img.naturalWidth === 0)
      r.problems.push('image not loaded: ' + img.getAttribute('src'));
  }
  r.formulas = doc.querySelectorAll('.MathJax_CHTML, .MathJax, .MathJax_SVG, .MathJax_Display').length;
  for (const e of doc.querySelectorAll('.merror, .MathJax_Error, mjx-merror, [data-mjx-error]'))
    r.problems.push('MathJax error: ' + e.textContent.slice(0, 80));
  const text = doc.body.innerText;
  const raw = text.match(/\\\(|\\\[/);
  if (raw) r.problems.push('TeX not rendered near: ' + text.substr(Math.max(0, raw.index - 30), 80));
  const cache = {};
  for (const a of doc.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    if (/^[a-z]+:/i.test(href) && !href.startsWith('file:')) continue;  // external
    ++r.links;
    const target = new URL(href, url);
    const file = target.href.split('#')[0];
    const anchor = decodeURIComponent(target.hash.slice(1));
    if (!(file in cache)) cache[file] = file === url.split('#')[0]
        ? doc.documentElement.outerHTML : await fetchDoc(file);
    if (cache[file] === null) { r.problems.push('broken link: ' + href); continue; }
    if (anchor) {
      const d = new DOMParser().parseFromString(cache[file], 'text/html');
      if (!d.getElementById(anchor) && !d.getElementsByName(anchor).length)
        r.problems.push('missing anchor: ' + href);
    }
  }
  frame.remove();
  return r;
}
(async () => {
  for (const p of pages) results.push(await check(p));
  document.getElementById('out').textContent = 'RESULTS ' + JSON.stringify(results);
})();
</script></body></html>
"""

CHROMIUM = ['chromium', '--headless', '--no-sandbox', '--disable-gpu',
            '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync',
            '--disable-quic', '--hide-scrollbars']


def main():
    if len(sys.argv) != 3:
        print('check_book: error: usage: check_book.py BOOK_HTML_DIR '
              'SCREENSHOT_DIR', file=sys.stderr)
        return 2
    book, shots = (os.path.abspath(a) for a in sys.argv[1:])
    pages = sorted(f for f in os.listdir(book) if f.endswith('.html'))
    if not pages:
        print(f'check_book: error: no pages in {book}', file=sys.stderr)
        return 2
    os.makedirs(shots, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        harness = os.path.join(tmp, 'harness.html')
        with open(harness, 'w') as f:
            f.write(HARNESS % {'pages': json.dumps(
                ['file://' + os.path.join(book, p) for p in pages])})
        run = subprocess.run(
            CHROMIUM + ['--user-data-dir=' + os.path.join(tmp, 'profile'),
                        '--allow-file-access-from-files',
                        '--enable-logging=stderr', '--v=0',
                        '--virtual-time-budget=600000', '--dump-dom',
                        'file://' + harness],
            capture_output=True, text=True, timeout=900)
        m = re.search(r'RESULTS (\[.*\])', run.stdout)
        if not m:
            print('check_book: error: the harness did not finish: ' +
                  run.stdout[-300:].replace('\n', ' '), file=sys.stderr)
            return 1
        results = json.loads(m.group(1).replace('&lt;', '<')
                             .replace('&gt;', '>').replace('&amp;', '&'))
        # Console errors of the book's pages (not the harness's own).
        console = [line for line in run.stderr.splitlines()
                   if 'CONSOLE' in line and 'harness.html' not in line]
        for page in pages:
            subprocess.run(
                CHROMIUM + ['--user-data-dir=' + os.path.join(tmp, 'shots'),
                            '--window-size=1280,900',
                            '--virtual-time-budget=8000',
                            '--screenshot=' + os.path.join(
                                shots, page.replace('.html', '.png')),
                            'file://' + os.path.join(book, page)],
                capture_output=True, timeout=300)
    failures = 0
    for r in results:
        print(f"{r['page']}: {r['images']} images, {r['formulas']} formulas, "
              f"{r['links']} internal links"
              + ('' if not r['problems'] else ', PROBLEMS'))
        for p in r['problems']:
            print(f"check_book: error: {r['page']}: {p}", file=sys.stderr)
            failures += 1
    for line in console:
        print('check_book: error: console: ' + line, file=sys.stderr)
        failures += 1
    missing = [p for p in pages
               if not os.path.exists(os.path.join(shots, p[:-5] + '.png'))]
    for p in missing:
        print(f'check_book: error: no screenshot of {p}', file=sys.stderr)
        failures += 1
    print(f'{len(results)} pages checked, screenshots in {shots}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
