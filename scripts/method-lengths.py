#!/usr/bin/env python3
"""Longest method per Java file (lines from signature to closing brace), counting braces outside strings and comments.

Usage: scripts/method-lengths.py FILE.java... ; prints lines, method count and the longest method of each file."""
import re, sys
KW = re.compile(r'(?<![.\w])(class|record|enum|interface)\s+[A-Z]\w*')
def strip(src):
    out, i, n = [], 0, len(src)
    while i < n:
        if src.startswith('"""', i):
            j = src.index('"""', i + 3); out.append('""' + '\n' * src.count('\n', i, j)); i = j + 3
        elif src[i] == '"' or src[i] == "'":
            q = src[i]; j = i + 1
            while src[j] != q: j += 2 if src[j] == '\\' else 1
            out.append(q + q); i = j + 1
        elif src.startswith('//', i):
            j = src.find('\n', i); i = n if j < 0 else j
        elif src.startswith('/*', i):
            j = src.index('*/', i); out.append('\n' * src.count('\n', i, j)); i = j + 2
        else:
            out.append(src[i]); i += 1
    return ''.join(out)
def methods(path):
    lines = strip(open(path).read()).split('\n')
    depth, stack, res, typedepths, pending = 0, [], [], set(), ''
    for no, line in enumerate(lines, 1):
        s = line.strip()
        for ch in s:
            if ch == '{':
                head = pending.strip()
                if KW.search(head) and '->' not in head and 'new ' not in head:
                    typedepths.add(depth + 1); stack.append(None)
                elif depth in typedepths and '(' in head and not head.startswith(('static', '=')) or (depth in typedepths and head.startswith('static') and '(' in head):
                    name = re.findall(r'(\w+)\s*\(', head)
                    stack.append((name[0] if name else '?', no))
                else:
                    stack.append(None)
                depth += 1; pending = ''
            elif ch == '}':
                depth -= 1; typedepths.discard(depth + 1); top = stack.pop()
                if top: res.append((no - top[1] + 1, top[0], top[1]))
                pending = ''
            elif ch == ';':
                pending = ''
            else:
                pending += ch
        pending += ' '
    return res
for p in sys.argv[1:]:
    r = sorted(methods(p), reverse=True)
    top = r[0] if r else (0, '-', 0)
    print(f"{p.split('/')[-1]:45s} {sum(1 for _ in open(p)):5d} lines  methods {len(r):3d}  longest {top[0]:3d} ({top[1]} @{top[2]})")
