#!/usr/bin/python3
"""Check that the examples in README.md and docs/ are true (docs/README rule:
every example runs as written). Run by `make check` (test t_docs_examples).

For every fenced block of a Markdown file:
  ```json   a policy is loaded by `fnguard policy check` (exit 0) and
            validated against docs/policy.schema.json; event lines (objects
            with "event_type" or "class_uid") must each be valid JSON, where
            {...}, [...] and a final ,...} stand for elided parts.
  ```sh / ``` with "$ " lines: each command runs (bash, in a scratch
            directory holding ./fnguard, examples/ and scripts/, in a network
            namespace of its own with only loopback up), exit 0 unless
            told otherwise; the lines after a command are its expected
            output (stdout and stderr together).
Blocks with neither are prose (diagrams, syntax) and are not run.

A comment on the line before the fence adjusts one block:
  <!-- doccheck: skip REASON -->      not checked; the reason is required
  <!-- doccheck: fragment -->         JSON object members: wrapped in {} first
  <!-- doccheck: status N -->         the last command exits N
  <!-- doccheck: status A B ... -->   the commands exit A, B ... in turn
  <!-- doccheck: unordered -->        output lines may come in any order
                                      (two processes writing to one stream)
  <!-- doccheck: nooutput -->         the output is not compared
  <!-- doccheck: setup CMD -->        CMD runs first, unshown (a fixture: files
                                      a policy or a command needs)

Output lines are compared after numbers become 0, hex runs of 8 or more
become H (times, pids, ids differ per run) and runs of spaces one space; "..." inside a line matches any
text, a line that is only "..." matches any number of lines.
Exit 0 when every example holds, 1 otherwise, with FILE:LINE: why per failure.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

DIRECTIVE = re.compile(r'^<!--\s*doccheck:\s*(\w+)\s*(.*?)\s*-->$')


def blocks(path):
    """(first line number, lang, body lines, directives) of each fence."""
    lines = open(path, encoding='utf-8').read().split('\n')
    out, i = [], 0
    while i < len(lines):
        m = re.match(r'^```(\w*)\s*$', lines[i])
        if not m:
            i += 1
            continue
        directives, j = {}, i - 1
        while j >= 0 and DIRECTIVE.match(lines[j].strip()):
            d = DIRECTIVE.match(lines[j].strip())
            directives[d.group(1)] = d.group(2)
            j -= 1
        start, lang, body = i + 1, m.group(1), []
        i += 1
        while i < len(lines) and not lines[i].startswith('```'):
            body.append(lines[i])
            i += 1
        out.append((start, lang, body, directives))
        i += 1
    return out


def is_event(obj):
    return isinstance(obj, dict) and ('event_type' in obj or 'class_uid' in obj)


class Checker:
    def __init__(self, args):
        self.fnguard = os.path.abspath(args.fnguard)
        self.root = os.path.abspath(args.root)
        self.scratch = os.path.abspath(args.scratch)
        self.failures = 0
        self.checked = 0
        self.schema = None
        try:
            import jsonschema
            with open(args.schema or os.path.join(self.root, 'docs/policy.schema.json')) as f:
                schema = json.load(f)
            jsonschema.Draft202012Validator.check_schema(schema)
            self.schema = jsonschema.Draft202012Validator(schema)
        except ImportError:
            self.fail('scripts/doccheck.py', 0, 'python3-jsonschema is missing (scripts/install-deps.sh installs it)')

    def fail(self, where, line, why):
        print(f'{where}:{line}: {why}')
        self.failures += 1

    # --- policies and events -------------------------------------------
    def check_policy(self, where, line, obj, text, path=None):
        """path: the policy's own file (its relative names resolve there)."""
        self.checked += 1
        if self.schema:
            errs = sorted(self.schema.iter_errors(obj), key=lambda e: list(e.path))
            for e in errs[:3]:
                self.fail(where, line, 'schema: %s: %s' % ('/'.join(map(str, e.path)) or '(top)', e.message))
        os.makedirs(self.scratch, exist_ok=True)
        pf = path or os.path.join(self.scratch, 'policy.json')
        if not path:
            with open(pf, 'w') as f:
                f.write(text)
        r = subprocess.run([self.fnguard, 'policy', 'check', pf], capture_output=True, text=True)
        if r.returncode != 0:
            self.fail(where, line, 'fnguard policy check: ' + r.stderr.strip().replace(pf, 'policy.json'))

    def check_json(self, where, start, body, d):
        text = '\n'.join(body)
        if 'setup' in d:   # files a policy names, made in the scratch directory
            os.makedirs(self.scratch, exist_ok=True)
            subprocess.run(['bash', '-c', d['setup']], cwd=self.scratch, capture_output=True)
        if 'fragment' in d:
            text = '{' + text + '}'
        try:
            obj = json.loads(text)
        except ValueError:
            obj = None
        if obj is not None:
            if is_event(obj):
                self.checked += 1
            else:
                self.check_policy(where, start, obj, text)
            return
        for k, ln in enumerate(body):   # event lines, one object each
            if not ln.strip():
                continue
            try:
                ev = json.loads(self.elide(ln))
            except ValueError as e:
                self.fail(where, start + 1 + k, 'not JSON: %s' % e)
                continue
            if not is_event(ev):
                self.fail(where, start + 1 + k, 'a line of a JSON block that is neither one value nor event lines')
            self.checked += 1

    @staticmethod
    def elide(ln):
        """An event line shortened with {...}, [...] or ,...} still parses."""
        ln = ln.replace('{...}', '{}').replace('[...]', '[]')
        return re.sub(r',\.\.\.([}\]])', r'\1', ln)

    # --- commands ------------------------------------------------------
    def workdir(self):
        d = os.path.join(self.scratch, 'work')
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(os.path.join(d, 'bin'))
        os.symlink(self.fnguard, os.path.join(d, 'fnguard'))
        os.symlink(self.fnguard, os.path.join(d, 'bin', 'fnguard'))
        for sub in ('examples', 'scripts', 'docs'):
            os.symlink(os.path.join(self.root, sub), os.path.join(d, sub))
        return d

    @staticmethod
    def commands(body):
        """[(line index, command, [expected lines])]"""
        cmds, k = [], 0
        while k < len(body):
            ln = body[k]
            if not ln.startswith('$ '):
                k += 1
                continue
            idx, cmd = k, ln[2:]
            while cmd.endswith('\\') and k + 1 < len(body):
                k += 1
                cmd = cmd + '\n' + body[k]
            k += 1
            exp = []
            while k < len(body) and not body[k].startswith('$ '):
                exp.append(body[k])
                k += 1
            cmds.append((idx, cmd, exp))
        return cmds

    @staticmethod
    def norm(s):
        s = re.sub(r'[0-9a-f]{8,}', 'H', s)
        s = re.sub(r'[0-9]+', '0', s)
        return re.sub(r' +', ' ', s)   # columns padded to a number's width

    def line_re(self, exp):
        parts = [re.escape(self.norm(p)) for p in exp.split('...')]
        return re.compile('^' + '.*'.join(parts) + '$')

    def match_ordered(self, exp, got):
        """Does got match exp line by line, "..." lines matching any run?"""
        if not exp:
            return not got
        if exp[0].strip() == '...':
            return any(self.match_ordered(exp[1:], got[i:]) for i in range(len(got) + 1))
        return bool(got) and bool(self.line_re(exp[0]).match(self.norm(got[0]))) and \
            self.match_ordered(exp[1:], got[1:])

    def match_unordered(self, exp, got):
        left = list(got)
        for e in exp:
            if e.strip() == '...':
                continue
            rx = self.line_re(e)
            hit = next((g for g in left if rx.match(self.norm(g))), None)
            if hit is None:
                return False
            left.remove(hit)
        return not left or any(e.strip() == '...' for e in exp)

    @staticmethod
    def status(d, n, count):
        """status N: the last command exits N; status A B C: one per command."""
        st = d.get('status', '').split()
        if len(st) == count:
            return int(st[n])
        return int(st[0]) if st and n == count - 1 else 0

    def check_commands(self, where, start, body, d):
        cmds = self.commands(body)
        wd = self.workdir()
        env = dict(os.environ, PATH=os.path.join(wd, 'bin') + ':/usr/local/bin:/usr/bin:/bin', LC_ALL='C.UTF-8')
        if 'setup' in d:
            subprocess.run(['bash', '-c', d['setup']], cwd=wd, env=env, capture_output=True)
        for n, (idx, cmd, exp) in enumerate(cmds):
            self.checked += 1
            # In a network namespace of its own: an example's traffic reaches
            # no other machine (the machine's resolver included).
            r = subprocess.run(['unshare', '-n', '--', 'bash', '-c', 'ip link set lo up; ' + cmd], cwd=wd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=120)
            got = [ln for ln in r.stdout.decode('utf-8', 'replace').split('\n') if ln.strip()]
            want = self.status(d, n, len(cmds))
            line = start + 1 + idx
            if r.returncode != want:
                self.fail(where, line, 'exit %d, expected %d: %s\n    %s' % (
                    r.returncode, want, cmd, '\n    '.join(got[-5:])))
                continue
            exp = [e for e in exp if e.strip()]
            if 'nooutput' in d or not exp:
                continue
            ok = self.match_unordered(exp, got) if 'unordered' in d else self.match_ordered(exp, got)
            if not ok:
                self.fail(where, line, 'output differs: %s\n  expected:\n    %s\n  got:\n    %s' % (
                    cmd, '\n    '.join(exp), '\n    '.join(g[:300] for g in got)))

    def check_links(self, path, where):
        """Relative links must name files of the checkout."""
        for n, ln in enumerate(open(path, encoding='utf-8'), 1):
            for target in re.findall(r'\]\(([^)\s]+)\)', ln):
                if re.match(r'^(https?:|mailto:|#)', target):
                    continue
                f = os.path.normpath(os.path.join(os.path.dirname(path), target.split('#')[0]))
                self.checked += 1
                if not f.startswith(self.root + os.sep) and f != self.root or not os.path.exists(f):
                    self.fail(where, n, 'link to %s: not a file of the checkout' % target)

    def check_file(self, path):
        where = os.path.relpath(path, self.root)
        self.check_links(os.path.abspath(path), where)
        for start, lang, body, d in blocks(path):
            if 'skip' in d:
                if not d['skip']:
                    self.fail(where, start, 'doccheck: skip needs a reason')
                continue
            if lang == 'json':
                self.check_json(where, start, body, d)
            elif any(ln.startswith('$ ') for ln in body):
                self.check_commands(where, start, body, d)
            elif lang in ('sh', 'bash'):
                self.fail(where, start, 'a sh block without "$ " commands: add prompts or <!-- doccheck: skip REASON -->')

    def check_policy_file(self, path):
        text = open(path).read()
        self.check_policy(os.path.relpath(path, self.root), 1, json.loads(text), text, os.path.abspath(path))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--fnguard', required=True)
    ap.add_argument('--root', default='.')
    ap.add_argument('--schema', help='default: ROOT/docs/policy.schema.json')
    ap.add_argument('--scratch', required=True, help='a directory outside the temp root')
    ap.add_argument('--policy', action='append', default=[], help='a policy file to check too')
    ap.add_argument('files', nargs='+')
    args = ap.parse_args()
    c = Checker(args)
    for f in args.files:
        c.check_file(f)
    for p in args.policy:
        c.check_policy_file(p)
    print('doccheck: %d examples checked, %d failures' % (c.checked, c.failures))
    return 1 if c.failures else 0


if __name__ == '__main__':
    sys.exit(main())
