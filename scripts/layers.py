#!/usr/bin/env python3
"""make layers: the structure docs/architecture.md promises, checked.

Usage: layers.py --build DIR LAYER... (lowest first, as the Makefile's LAYERS)

Fails (exit 1, one line per finding) when
- a file includes a header of a higher layer (include upward);
- an object calls or uses a symbol defined in a higher layer (call upward),
  read from the objects under DIR with nm;
- files form a circle: objects that use each other's symbols, or headers
  that include each other. One object deliberately split across files is
  the exception: P.c and P_*.c beside a P_internal.h may use each other;
- a file is over 600 lines or a function over 100 lines;
- a file does not open with a comment saying what it is.
"""
import collections
import os
import re
import subprocess
import sys

MAX_FILE_LINES = 600
MAX_FUNC_LINES = 100
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def sources(layers):
    out = []
    for layer in layers:
        for dirpath, _, files in os.walk(layer):
            out += [os.path.join(dirpath, f) for f in files if f.endswith(('.c', '.h'))]
    return sorted(out)


def layer_of(path, layers):
    top = path.split('/', 1)[0]
    return top if top in layers else None


def check_includes(files, layers, rank, problems):
    graph = collections.defaultdict(set)
    for f in files:
        with open(f) as fh:
            for n, line in enumerate(fh, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                inc = m.group(1)
                to = layer_of(inc, layers)
                if to is None:
                    continue
                if rank[to] > rank[layer_of(f, layers)]:
                    problems.append(f'{f}:{n}: includes {inc}: {layer_of(f, layers)} may not use {to} '
                                    f'(layers, lowest first: {" ".join(layers)})')
                if f.endswith('.h') and inc.endswith('.h'):
                    graph[f].add(inc)
    for scc in circles(graph):
        problems.append('headers include each other: ' + ' -> '.join(sorted(scc)))


def split_group(path):
    """The split object a file belongs to: dir/P for P.c, P_*.c beside P_internal.h."""
    d, base = os.path.split(path)
    stem = base[:-2]
    for i in range(len(stem), 0, -1):
        if stem[:i] == stem or stem[i] == '_':
            if os.path.exists(os.path.join(d, stem[:i] + '_internal.h')):
                return os.path.join(d, stem[:i])
    return None


def built_here(f, arch):
    """tracer/arch_*.c: only the build's own architecture is compiled."""
    base = os.path.basename(f)
    return not (f.startswith('tracer/arch_') and base != f'arch_{arch}.c')


def check_symbols(build, files, layers, rank, problems, arch):
    objs = [os.path.join(build, f[:-2] + '.o') for f in files if f.endswith('.c') and built_here(f, arch)]
    missing = [o for o in objs if not os.path.exists(o)]
    if missing:
        problems.append(f'not built: {" ".join(missing)} (make {build}/fnguard first)')
        return
    defs, undef = {}, collections.defaultdict(set)
    for o in objs:
        src = os.path.relpath(o, build)[:-2] + '.c'
        out = subprocess.run(['nm', o], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            p = line.split()
            if len(p) == 3 and p[1] in 'TDBRCV':
                defs[p[2]] = src
            elif len(p) == 2 and p[0] == 'U':
                undef[src].add(p[1])
    graph = collections.defaultdict(set)
    for src, syms in undef.items():
        for s in sorted(syms):
            to = defs.get(s)
            if to is None or to == src:
                continue
            graph[src].add(to)
            lf, lt = layer_of(src, layers), layer_of(to, layers)
            if rank[lt] > rank[lf]:
                problems.append(f'{src}: uses {s} from {to}: {lf} may not use {lt}')
    for scc in circles(graph):
        groups = {split_group(f) for f in scc}
        if len(groups) == 1 and None not in groups:
            continue
        problems.append('files use each other (a circle): ' + ' '.join(sorted(scc)))


def circles(graph):
    """Strongly connected components of more than one node (Tarjan, iterative)."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    nodes = set(graph) | {w for v in graph.values() for w in v}
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    scc = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        scc.append(w)
                        if w == v:
                            break
                    if len(scc) > 1:
                        out.append(scc)
    return out


def check_sizes(files, problems):
    for f in files:
        with open(f) as fh:
            lines = fh.read().split('\n')
        if not lines[0].startswith('/*'):
            problems.append(f'{f}:1: no opening comment saying what the file is')
        if len(lines) - 1 > MAX_FILE_LINES:
            problems.append(f'{f}: {len(lines) - 1} lines (at most {MAX_FILE_LINES})')
        start = None
        for n, line in enumerate(lines, 1):
            if line == '{':
                # the signature's first line: the nearest one above starting a declaration
                start = n - 1
                while start > 1 and not re.match(r'[A-Za-z_]', lines[start - 1]):
                    start -= 1
            elif line.startswith('}') and start is not None:
                if n - start + 1 > MAX_FUNC_LINES:
                    problems.append(f'{f}:{start}: function of {n - start + 1} lines (at most {MAX_FUNC_LINES})')
                start = None


def main(argv):
    arch = 'x86_64'
    if len(argv) > 2 and argv[1] == '--arch':
        arch, argv = argv[2], argv[:1] + argv[3:]
    if len(argv) < 4 or argv[1] != '--build':
        print('usage: layers.py [--arch ARCH] --build DIR LAYER...', file=sys.stderr)
        return 2
    build, layers = argv[2], argv[3:]
    rank = {l: i for i, l in enumerate(layers)}
    files = sources(layers)
    problems = []
    check_includes(files, layers, rank, problems)
    check_symbols(build, files, layers, rank, problems, arch)
    check_sizes(files, problems)
    for p in problems:
        print('layers: ' + p)
    if problems:
        return 1
    print(f'layers: ok: {len(files)} files in {len(layers)} layers ({" < ".join(layers)}), no circle, no oversize, every file introduced')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
