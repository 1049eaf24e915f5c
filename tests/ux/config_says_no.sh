#!/usr/bin/env bash
# config_says_no.sh - the config validator can say no: copies of ci.yml and
# autograding.json with one thing wrong each must be rejected.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
t=$(mktemp -d "${TMPDIR:-/tmp}/racelab-cfg.XXXXXX")
trap 'rm -rf "$t"' EXIT
fails=0
mutate() { # NAME FILE SED-EXPR
	rm -rf "$t/r" && mkdir -p "$t/r/.github/workflows" "$t/r/.github/classroom" "$t/r/labs"
	cp "$root/README.md" "$t/r/"
	cp "$root/labs/labs.txt" "$t/r/labs/"
	cp "$root/.github/workflows/ci.yml" "$t/r/.github/workflows/"
	cp "$root/.github/classroom/autograding.json" "$t/r/.github/classroom/"
	sed -i "$3" "$t/r/$2"
	if python3 "$root/tests/ux/validate_config.py" "$t/r" --strict >"$t/out" 2>&1; then
		echo "FAIL: accepted a config with $1"
		fails=$((fails + 1))
	else
		echo "ok: rejected $1: $(grep -m1 '^error' "$t/out")"
	fi
}
mutate "no JUnit upload on failure" .github/workflows/ci.yml 's/if: always()/if: success()/'
mutate "no --output-junit" .github/workflows/ci.yml 's/ --output-junit "[^"]*"//'
mutate "another test command" .github/workflows/ci.yml 's|./scripts/lab test|ctest|'
mutate "no checkout" .github/workflows/ci.yml 's|actions/checkout@v4|actions/cache@v4|'
mutate "no pull_request trigger" .github/workflows/ci.yml 's/^  pull_request:$/  release:/'
mutate "broken YAML indentation" .github/workflows/ci.yml 's/^    runs-on:/  runs-on/'
mutate "points as a string" .github/classroom/autograding.json '0,/"points": 1/s//"points": "1"/'
mutate "an unknown lab" .github/classroom/autograding.json '0,/grade counter --tier/s//grade no_such_lab --tier/'
mutate "a missing tier" .github/classroom/autograding.json '0,/--tier race-free/s//--tier builds/'
mutate "not JSON" .github/classroom/autograding.json '1s/^{/{,/'
[ "$fails" = 0 ]
