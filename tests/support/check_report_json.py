#!/usr/bin/env python3
"""Checks a chapter target's --json report, independently of the C++ code
that printed it: the schema, every value a finite number, every slide value
matched within half a unit of its last printed digit (unless the quantity
names an erratum, which must be in the report's errata), every check within
its bound, and agrees_with_slide as these checks say.

Usage: CHAPTER_TARGET --json | check_report_json.py [MIN_EXAMPLES]
Exit status 0 if the report holds, 1 otherwise (one line per problem).
"""
import json
import math
import sys


def main():
    minimum = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    problems = []
    try:
        doc = json.load(sys.stdin)
    except json.JSONDecodeError as e:
        print(f'check_report_json: error: not JSON: {e}', file=sys.stderr)
        return 1
    if not isinstance(doc.get('chapter'), str):
        problems.append('no chapter name')
    examples = doc.get('examples', [])
    errata = {e.get('id') for e in doc.get('errata', [])}
    for e in doc.get('errata', []):
        for key in ('id', 'source', 'slide_says', 'correct', 'why'):
            if not isinstance(e.get(key), str) or not e[key]:
                problems.append(f'erratum without {key}: {e}')
    if len(examples) < minimum:
        problems.append(f'{len(examples)} examples, expected >= {minimum}')
    ids = set()
    for ex in examples:
        eid = ex.get('id')
        if eid in ids:
            problems.append(f'example id {eid} twice')
        ids.add(eid)
        for key in ('source', 'values', 'slide', 'slide_decimals', 'errata',
                    'bounds', 'agrees_with_slide'):
            if key not in ex:
                problems.append(f'{eid}: no {key}')
        values = ex.get('values', {})
        agrees = True
        for name, v in values.items():
            if not isinstance(v, (int, float)) or not math.isfinite(v):
                problems.append(f'{eid}: {name} = {v} is not a finite number')
                agrees = False
        for name, s in ex.get('slide', {}).items():
            d = ex.get('slide_decimals', {}).get(name)
            v = values.get(name)
            if d is None or v is None:
                problems.append(f'{eid}: slide value {name} without decimals '
                                'or value')
                continue
            ok = abs(v - s) <= 0.5 * 10 ** -d + 1e-12
            erratum = ex.get('errata', {}).get(name)
            if erratum is not None:
                if erratum not in errata:
                    problems.append(f'{eid}: {name} names erratum {erratum}, '
                                    'which the report lacks')
            elif not ok:
                agrees = False
        for name, b in ex.get('bounds', {}).items():
            v = values.get(name)
            if v is None or not abs(v) <= b:
                agrees = False
        if agrees != ex.get('agrees_with_slide'):
            problems.append(f'{eid}: agrees_with_slide is '
                            f'{ex.get("agrees_with_slide")}, the values say '
                            f'{agrees}')
        if not agrees:
            problems.append(f'{eid}: a slide value or a check disagrees')
    for p in problems:
        print('check_report_json: error: ' + p, file=sys.stderr)
    print(f'{len(examples)} examples, {len(errata)} errata checked')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
