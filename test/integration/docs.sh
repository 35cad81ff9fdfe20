# The examples in README.md and docs/ run as written (scripts/doccheck.py):
# policies load and match docs/policy.schema.json, commands exit as shown and
# print what is shown, links name files of the checkout.

t_docs_examples_run_as_written() {
	$PY "$ROOT/scripts/doccheck.py" --fnguard "$FNGUARD" --root "$ROOT" --scratch "$WORK/dc" \
		$(for p in "$ROOT"/examples/policies/*.json "$ROOT"/examples/*/policy.json; do printf -- '--policy %s ' "$p"; done) \
		"$ROOT/README.md" "$ROOT"/docs/*.md "$ROOT"/examples/*/README.md >"$WORK/out" 2>&1 || { cat "$WORK/out"; fail "doc examples"; }
	assert_out 'doccheck: [0-9]* examples checked, 0 failures'
}

# The checker must be able to fail: a wrong policy, a wrong output, a wrong
# exit status, a broken link, a sh block it cannot run, a skip without reason.
t_docs_doccheck_catches_untrue_examples() {
	cat >"$WORK/bad.md" <<'MD'
# bad

```json
{"read_write_tmp": "blok"}
```

```sh
$ echo hello
goodbye
```

```sh
$ false
```

See [nowhere](nowhere.md).

```sh
make something
```

<!-- doccheck: skip -->
```json
{}
```

<!-- doccheck: unordered -->
```sh
$ printf 'b\na\n'
a
b
```
MD
	set +e
	$PY "$ROOT/scripts/doccheck.py" --fnguard "$FNGUARD" --root "$WORK" --schema "$ROOT/docs/policy.schema.json" --scratch "$WORK/dc" "$WORK/bad.md" >"$WORK/out" 2>&1
	RC=$?
	set -e
	assert_rc 1
	assert_out '^bad.md:3: schema: read_write_tmp'
	assert_out '^bad.md:3: fnguard policy check: .*unknown mode "blok"'
	assert_out '^bad.md:8: output differs: echo hello'
	assert_out '^bad.md:13: exit 1, expected 0: false'
	assert_out '^bad.md:16: link to nowhere.md'
	assert_out '^bad.md:18: a sh block without'
	assert_out '^bad.md:23: doccheck: skip needs a reason'
	assert_out 'doccheck: .* 7 failures'
}

# Every policy the project ships or documents validates against the schema,
# and the schema refuses what the loader refuses for shape.
t_docs_policy_schema_matches_loader() {
	$PY - "$ROOT/docs/policy.schema.json" <<'PYEOF' || fail "schema"
import json, sys, jsonschema
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
good = [{}, {"read_write_tmp": "block"}, {"read_write_tmp": {"action": "block", "jvm_perfdata": False}}, {"policy": {"read_handler": "alert"}, "token": "x"},
        {"outbound_connectivity": {"action": "block", "exceptions": ["aws", "10.0.0.0/8"], "loopback": "judge"}},
        {"create_child_process": {"mode": "alert", "allow": ["/usr/bin/git", "build-id:abcd"]}},
        {"lambda": {"on_block": "kill", "phases": {"read_handler": "invoke"}}, "events": {"format": "ocsf"}},
        {"allowlist": {"learned": {"exec": [{"path": "/bin/true", "build_id": "ab"}], "init": {"files": {"read": ["/x"]}}},
                       "remove": {"ips": ["10.0.0.1"]}}}]
bad = [{"read_write_temp": "block"}, {"read_write_tmp": "blok"}, {"read_handler": {"action": "block", "jvm_perfdata": False}},
       {"read_write_tmp": {"action": "block", "jvm_perfdata": "no"}}, {"create_child_process": 1},
       {"create_child_process": {"exceptions": ["git"]}}, {"tmp_root": "tmp"}, {"version": 2},
       {"allowlist": {"remove": {"init": {}}}}, {"lambda": {"phases": {"read_handler": "later"}}},
       {"events": {"flush_timeout_ms": 600001}}]
for g in good:
    errs = list(v.iter_errors(g))
    assert not errs, (g, errs[0].message)
for b in bad:
    assert list(v.iter_errors(b)), ("schema accepts", b)
PYEOF
	# And the loader agrees on the bad ones (the schema is never looser).
	for b in '{"read_write_temp": "block"}' '{"create_child_process": {"exceptions": ["git"]}}' '{"tmp_root": "tmp"}' \
		'{"version": 2}' '{"allowlist": {"remove": {"init": {}}}}' '{"events": {"flush_timeout_ms": 600001}}'; do
		p=$(policy "$b")
		"$FNGUARD" policy check "$p" >/dev/null 2>&1 && fail "loader accepts $b"
	done
	true
}
