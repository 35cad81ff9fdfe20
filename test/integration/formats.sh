# Event output formats (docs/events.md): UTF-8-valid lines, the text format
# and its terminal default, details.path for execs, Falco, Iron Function's
# api_endpoint, one object per HTTP request.

ALERT_ALL='{"outbound_connectivity":"alert","read_write_tmp":"alert","create_child_process":"alert","read_handler":"alert"}'
UTF8CHECK="$ROOT/test/lib/utf8check.py"

# A program whose file path, exec path and argv hold bytes that are not UTF-8.
badbytes_prog() {
	cp /bin/true "$TMPD/tr$(printf '\351')ue"
	cat >"$WORK/bad.py" <<PYEOF
import os, subprocess
d = os.fsencode("$TMPD")
with open(d + b"/f\xff\xfe.txt", "wb") as f:
    f.write(b"x")
subprocess.run([b"/bin/echo", b"\xff\x80arg"], stdout=subprocess.DEVNULL)
subprocess.run([d + b"/tr\xe9ue"])
PYEOF
}
BAD_WANT="66fffe2e747874 ff80617267 7472e97565"

# Every line of every format is valid UTF-8 (JSON ones valid JSON), and the
# exact bytes come back from the KEY_hex members / the \xNN escapes.
t_format_utf8_every_format() {
	local p fmt
	badbytes_prog
	p=$(policy "$ALERT_ALL")
	for fmt in fnguard ocsf falco; do
		rm -f "$EV"
		fng --policy "$p" --log-format "$fmt" -- $PY "$WORK/bad.py"
		assert_rc 0
		# shellcheck disable=SC2086
		$PY "$UTF8CHECK" json "$EV" $BAD_WANT >/dev/null || fail "$fmt: lines not valid UTF-8 JSON or bytes lost"
	done
	rm -f "$EV"
	fng --policy "$p" --log-format text -- $PY "$WORK/bad.py"
	assert_rc 0
	# shellcheck disable=SC2086
	$PY "$UTF8CHECK" text "$EV" $BAD_WANT || fail "text: not valid UTF-8 or bytes lost"
}
