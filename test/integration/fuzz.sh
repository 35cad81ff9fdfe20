# The fuzz targets' committed corpora (test/fuzz/corpus/TARGET) replayed
# through each target built without libFuzzer (test/fuzz/replay.c): every
# input that once found new coverage still parses without a crash, under
# make SANITIZE=address,undefined check with the sanitizers too.

t_fuzz_corpus_replay() {
	local t out n
	for t in policy fwdetect jsonpos dns rtapi addr sockaddr path; do
		[ -x "$BUILD/test/fuzz/replay_$t" ] || fail "$BUILD/test/fuzz/replay_$t missing (make check builds it)"
		n=$(find "$ROOT/test/fuzz/corpus/$t" -type f | wc -l)
		[ "$n" -gt 0 ] || fail "test/fuzz/corpus/$t is empty"
		out=$("$BUILD/test/fuzz/replay_$t" "$ROOT/test/fuzz/corpus/$t" 2>&1) || fail "replay_$t: $out"
		[ "$out" = "replay: $n inputs" ] || fail "replay_$t: expected $n inputs, got: $out"
	done
}
