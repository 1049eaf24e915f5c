#!/usr/bin/env python3
"""check_junit.py - racelab's JUnit XML must be what CI systems can read.

Checks `racelab run --junit F` and `racelab file --junit F` for a racy
program (failure), a clean one (pass) and one that is not instrumented
(error); with --odd-names, all of them live in a folder whose name holds
XML's special characters and spaces.  Each
document must parse as XML, validate against tests/junit.xsd (with xmllint,
when installed), and agree with itself: tests/failures/errors counts equal
the testcases and their <failure>/<error> children; a failure names the
finding's kind in type= and carries a message.

Exit: 0 all valid, 1 not.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

RACY = r'''
#include <pthread.h>
#include <stdio.h>
int shared; /* bumped by worker and main */
static void *worker(void *arg) { (void)arg; shared++; return NULL; }
int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    shared++;
    pthread_join(t, NULL);
    printf("shared=%d <&> \"quoted\"\n", shared);
    return 0;
}
'''
CLEAN = RACY.replace("    shared++;\n    pthread_join(t, NULL);", "    pthread_join(t, NULL);\n    shared++;")


def check_document(path, schema, want):
    """Problems with one JUnit file; want: 'pass', 'failure' or 'error'."""
    problems = []
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as e:
        return ["not well-formed XML: %s" % e]
    if shutil.which("xmllint"):
        r = subprocess.run(["xmllint", "--noout", "--schema", schema, path], capture_output=True, text=True)
        if r.returncode != 0:
            problems.append("does not validate against %s:\n%s" % (schema, r.stderr.strip()))
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    if root.tag not in ("testsuites", "testsuite") or not suites:
        problems.append("root is <%s> with %d <testsuite>" % (root.tag, len(suites)))
    for s in suites:
        cases = s.findall("testcase")
        fails = sum(len(c.findall("failure")) for c in cases)
        errs = sum(len(c.findall("error")) for c in cases)
        for attr, n in (("tests", len(cases)), ("failures", fails), ("errors", errs)):
            if s.get(attr) is None or int(s.get(attr)) != n:
                problems.append("testsuite %s=%s but %d found" % (attr, s.get(attr), n))
        for c in cases:
            if not c.get("name") or c.get("time") is None:
                problems.append("a testcase lacks name or time: %s" % c.attrib)
            for p in c.findall("failure") + c.findall("error"):
                if not p.get("message") or not p.get("type"):
                    problems.append("<%s> lacks message or type" % p.tag)
        got = "error" if errs else "failure" if fails else "pass"
        if got != want:
            problems.append("expected a %s, the document says %s" % (want, got))
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--racelab", required=True)
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--schema", required=True)
    ap.add_argument("--odd-names", action="store_true")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="racelab-junit-")
    env = {k: v for k, v in os.environ.items() if k != "TSAN_OPTIONS" and not k.startswith("RACELAB_")}
    failed = 0
    try:
        odd = os.path.join(tmp, 'odd & <"name">' if args.odd_names else "plain")
        os.mkdir(odd)
        progs = {}
        for name, src, flags in (("racy", RACY, ["-fsanitize=thread"]), ("clean", CLEAN, ["-fsanitize=thread"]),
                                 ("plain", RACY, [])):
            c = os.path.join(odd, name + ".c")
            with open(c, "w") as f:
                f.write(src)
            progs[name] = os.path.join(odd, name)
            subprocess.run([args.cc, "-g", "-O1", "-pthread"] + flags + [c, "-o", progs[name]], check=True)
        checks = [
            ("run racy", ["run", "--runs", "1", "--", progs["racy"]], "failure"),
            ("run clean", ["run", "--runs", "2", "--", progs["clean"]], "pass"),
            ("run not instrumented", ["run", "--runs", "1", "--", progs["plain"]], "error"),
            ("file racy", ["file", "--runs", "1", os.path.join(odd, "racy.c")], "failure"),
            ("file clean", ["file", "--runs", "2", os.path.join(odd, "clean.c")], "pass"),
        ]
        for i, (what, argv, want) in enumerate(checks):
            out = os.path.join(tmp, "junit%d.xml" % i)
            r = subprocess.run([args.racelab] + argv[:1] + ["--junit", out] + argv[1:], capture_output=True,
                               text=True, env=env, timeout=60)
            problems = check_document(out, args.schema, want)
            print("%s: racelab exit %d; %s" % (what, r.returncode, "valid" if not problems else "INVALID"))
            for p in problems:
                print("  FAIL: " + p)
            if problems and os.path.exists(out):
                print(open(out, encoding="utf-8", errors="replace").read())
            failed += bool(problems)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
