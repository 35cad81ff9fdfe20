# XML documents in the input firewall (docs/policy.md "input_firewall",
# xxe): a value that is an XML document is read as its parser reads its
# bytes, the encoding of its first bytes, then the declared one, so an XXE
# in UTF7, cp037 (EBCDIC) or an encoding that starts after the
# declaration's quote is refused as plain XML is (test/adversarial/
# xml_encoding.py: lxml and xml.etree handlers, judged by the secret
# file's content in the response); a document fnguard cannot read so is a
# `limit`. Needs python3-lxml (scripts/install-deps.sh).

XE_PROG=$ROOT/test/adversarial/xml_encoding.py
XE_POLICY='{"outbound_connectivity":"block","read_write_tmp":"block","create_child_process":"block","read_handler":"block","input_firewall":"block","confirmed_attacks":"block"}'

# xe_run native|POLICY-JSON: the program natively (emulate --direct) or
# under fnguard emulate with that policy; its lines in $WORK/out.
xe_run() {
	local emu="$FNGUARD emulate --direct"
	"$PY" -c 'import lxml' 2>/dev/null || fail "python3-lxml is missing: scripts/install-deps.sh installs it"
	mkdir -p "$WORK/xe"
	printf 'xmlenc-secret-%s\n' "$$" >"$WORK/xe/secret.txt"
	[ "$1" = native ] || emu="$FNGUARD emulate --log file:$EV --policy $(policy "$1")"
	set +e
	FNG_SECRET=$WORK/xe/secret.txt FNG_WORKDIR=$WORK/xe FNG_EMULATE=$emu "$PY" "$XE_PROG" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
}

# The program can fail: natively every vector reads the secret.
t_adv_xml_encoding_native() {
	xe_run native
	[ "$RC" = 8 ] || fail "native exit status $RC, expected 8: $(cat "$WORK/out" "$WORK/err")"
	[ "$(grep -c ': BYPASSED (' "$WORK/out")" = 8 ] || fail "not every vector bypassed natively: $(cat "$WORK/out")"
}

# Under input_firewall block every vector is refused, each as the XML it is.
t_adv_xml_encoding() {
	xe_run "$XE_POLICY"
	assert_rc 0
	[ "$(grep -c ': defended (refused' "$WORK/out")" = 8 ] || fail "not every vector refused: $(cat "$WORK/out")"
	# the UTF7, cp037 and after-the-quote documents: an external entity,
	# found in their reading (7 lxml documents; the 8th is a path for expat)
	[ "$(ev_count policy=input_firewall action=blocked details.class=xxe)" -ge 7 ] ||
		fail "xxe findings: $(ev_count policy=input_firewall details.class=xxe)"
	assert_events_valid
}

# A document fnguard cannot read as its parser would: a limit naming why;
# blocked under block, passed with an alert under alert. A plain UTF-8
# document and an ISO-8859-1 one pass.
t_firewall_xml_unreadable() {
	lambda_task record.py record.handler
	export FW_SEEN=$WORK/seen.jsonl
	: >"$FW_SEEN"
	local nosuch latin
	nosuch=$(printf '<?xml version="1.0" encoding="X-NO-SUCH"?><r>1</r>' | base64 -w0)
	latin=$(printf '<?xml version="1.0" encoding="ISO-8859-1"?><r>caf\351</r>' | base64 -w0)
	write_events "{\"httpMethod\": \"POST\", \"requestContext\": {}, \"isBase64Encoded\": true, \"body\": \"$nosuch\", \"n\": 1}" \
		"{\"httpMethod\": \"POST\", \"requestContext\": {}, \"isBase64Encoded\": true, \"body\": \"$latin\", \"n\": 2}"
	emu --policy "$(policy "{$FW_BASE, \"input_firewall\": \"block\"}")" --events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 1
	assert_eq "$(out_get error_type event=0)" Function.SecurityViolation "the unreadable document"
	assert_eq "$(out_get status event=1)" success "the ISO-8859-1 document"
	expect_events 1 policy=input_firewall action=blocked details.class=limit details.path='$.body' \
		'details.match=an XML document in an encoding fnguard cannot decode (X-NO-SUCH)'
	: >"$EV"
	emu --policy "$(policy "{$FW_BASE, \"input_firewall\": \"alert\"}")" --events "$WORK/in.jsonl" -- "$PY" "$PY_RUNTIME"
	assert_rc 0
	expect_events 1 policy=input_firewall action=alerted details.class=limit
	assert_events_valid
}
