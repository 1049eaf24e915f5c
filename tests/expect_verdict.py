#!/usr/bin/env python3
"""expect_verdict.py - run one checked program through racelab and compare
the verdict with what the program's own header says.

Every program under tests/cases/ and tests/hostile/ states its expected
verdicts in machine-read header lines (litmus style); this script is the
one reader of those lines, both for registering the ctest tests (--list)
and for running one of them.

Header lines (" * Key: value" in the first comment block):

  Mode: file | run          file: `racelab file FILE.c`; run: built here with
                            the compiler, then `racelab run -- ./prog`
  Build: FLAGS              run mode: compiler flags (-fsanitize=thread is
                            NOT implied, so a case can leave it out)
  Part: FILE FLAGS          run mode: another file compiled to an object
                            with FLAGS and linked in
  If-build-fails: skip      the compiler may refuse the build (exit 77: skip)
  CC: COMPILER              this variant's compiler instead of --cc (skipped,
                            exit 77, when it is not installed)
  Verdict: EXIT KINDS...    opens a variant: racelab must exit EXIT and every
                            KIND must be in the JSON's "kinds"
  Good: EXIT KINDS...       opens a variant built with GOOD defined
  Name: WORD                the variant's test name suffix
  Args: ARGS                program arguments
  Env: NAME=VALUE           the environment racelab runs in (TSAN_OPTIONS and
                            RACELAB_* are removed first; add them here)
  Options: OPTIONS          racelab options (--runs 3 --timeout 2 ...)
  Where: KIND TEXT          some finding of KIND mentions TEXT (its message,
                            accesses, file or function)
  Located: KIND             every finding of KIND names a function, file and line
  Absent: KIND              no finding of KIND
  Note: TEXT                the result's notes mention TEXT
  Max-output: BYTES         racelab's own stdout+stderr stays below BYTES
  Max-seconds: S            the check takes less than S seconds
  Interrupt: yes            send SIGINT (to racelab's process group, as
                            Ctrl-C does) once the program has written its
                            pid to the FIFO given as @FIFO@

Lines before the first Verdict/Good apply to every variant; Build, Env,
Options and Args lines of a variant are added to them, Part lines of a
variant replace the global ones.  @DIR@ is the case file's directory,
@TMP@ the test's own temporary directory.

After racelab exits, no process may be left that carries the test's unique
argv marker (passed as the program's last argument), and racelab's own
temporary files (TMPDIR points into the test's folder) must be gone: the
machine is clean.

Exit: 0 as expected, 1 not, 77 skipped.
"""
import argparse
import json
import os
import re
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

HEADER = re.compile(r"^\s*\*\s*([A-Z][A-Za-z-]*):\s*(.*?)\s*$")
KEYS = {"Mode", "Build", "Part", "If-build-fails", "CC", "Verdict", "Good", "Name", "Args", "Env", "Options",
        "Where", "Located", "Absent", "Note", "Max-output", "Max-seconds", "Interrupt"}


def parse_header(path):
    """The file's global settings and its variants, from the header comment."""
    glob = {"Mode": "file", "Build": [], "Part": [], "Env": [], "Options": [], "Args": []}
    variants = []
    cur = glob
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if lineno > 1 and "*/" in line:
                break
            m = HEADER.match(line)
            if not m or m.group(1) not in KEYS:
                continue
            key, val = m.group(1), m.group(2)
            if key in ("Verdict", "Good"):
                words = val.split()
                cur = {"good": key == "Good", "exit": int(words[0]), "kinds": words[1:], "Build": [],
                       "Part": [], "Env": [], "Options": [], "Args": [], "Where": [], "Located": [],
                       "Absent": [], "Note": []}
                variants.append(cur)
            elif key in ("Build", "Part", "Env", "Options", "Args", "Where", "Located", "Absent", "Note"):
                cur.setdefault(key, []).append(val)
            else:
                cur[key] = val
    return glob, variants


def variant_names(path, variants):
    """Test names: case.<stem>[.good][.<name or first argument>]."""
    stem = os.path.splitext(os.path.basename(path))[0]
    names = []
    for i, v in enumerate(variants):
        suffix = v.get("Name")
        if not suffix and v["Args"]:
            suffix = re.sub(r"[^A-Za-z0-9_-]+", "", " ".join(v["Args"]).split()[0]) or None
        name = stem + (".good" if v["good"] else "") + ("." + suffix if suffix else "")
        if name in names:
            name += ".%d" % i
        names.append(name)
    return names


def expand(text, ctx):
    for k, v in ctx.items():
        text = text.replace("@%s@" % k, v)
    return text


def words(lines, ctx):
    out = []
    for line in lines:
        out += shlex.split(expand(line, ctx))
    return out


def fail(msg):
    print("FAIL: " + msg)
    return 1


def marker_pids(marker):
    r = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True)
    return [int(p) for p in r.stdout.split() if int(p) != os.getpid()]


def build_run_program(args, path, glob, v, tmp, ctx):
    """Builds a run-mode program; returns its path, or None (output printed)."""
    prog = os.path.join(tmp, "prog")
    cc = v.get("CC") or args.cc
    objs = []
    parts = v["Part"] or glob["Part"]
    for i, part in enumerate(parts):
        w = shlex.split(expand(part, ctx))
        obj = os.path.join(tmp, "part%d.o" % i)
        cmd = [cc, "-c", os.path.join(os.path.dirname(path), w[0])] + w[1:] + ["-o", obj]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            print("$ " + shlex.join(cmd) + "\n" + r.stdout + r.stderr)
            return None
        objs.append(obj)
    flags = words(glob["Build"] + v["Build"], ctx)
    libs = [w for w in flags if w.startswith("-l")]  # after the objects that need them
    cmd = [cc] + [w for w in flags if not w.startswith("-l")] + (["-DGOOD=1"] if v["good"] else [])
    cmd += [path] + objs + libs + ["-o", prog]
    print("$ " + shlex.join(cmd))
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stdout + r.stderr)
        return None
    return prog


def wait_fifo(fifo, timeout):
    """Waits (without sleeping) until the program writes a line to fifo."""
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        deadline = time.monotonic() + timeout
        got = b""
        while b"\n" not in got:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([fd], [], [], left)
            if r:
                chunk = os.read(fd, 100)
                got += chunk
        return got.decode().strip()
    finally:
        os.close(fd)


def run_variant(args, path, glob, v, name):
    tmp = tempfile.mkdtemp(prefix="racelab-test-")
    try:
        return check_variant(args, path, glob, v, name, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_variant(args, path, glob, v, name, tmp):
    ctx = {"DIR": os.path.dirname(os.path.abspath(path)), "TMP": tmp, "FIFO": os.path.join(tmp, "fifo")}
    mode = glob.get("Mode", "file")
    marker = "racelab-test-marker-" + uuid.uuid4().hex
    src = os.path.abspath(path)
    if v["good"] and mode == "file":
        src = os.path.join(tmp, os.path.basename(path))
        with open(path, encoding="utf-8") as f, open(src, "w", encoding="utf-8") as g:
            g.write('#define GOOD 1\n#line 1 "%s"\n' % os.path.abspath(path) + f.read())
    if v.get("Interrupt"):
        os.mkfifo(ctx["FIFO"])
    prog_args = words(glob["Args"] + v["Args"], ctx) + [marker]
    json_path = os.path.join(tmp, "result.json")
    opts = words(glob["Options"] + v["Options"], ctx) + ["--json", json_path]
    if v["exit"] == 1 and v["kinds"]:
        # A catch: TSan misses even a plain race now and then (about 1 run in
        # 100 here), so the harness runs until every expected kind has shown,
        # up to 5 runs, instead of betting the test on one run.
        for i, w in enumerate(opts[:-1]):
            if w == "--runs" and opts[i + 1] == "1":
                opts[i + 1] = "5"
        opts += ["--expect", ",".join(v["kinds"])]
    if mode == "run":
        if v.get("CC") and not shutil.which(v["CC"]):
            print("SKIP: %s is not installed" % v["CC"])
            return 77
        prog = build_run_program(args, path, glob, v, tmp, ctx)
        if prog is None:
            if glob.get("If-build-fails") == "skip":
                print("SKIP: the compiler refuses this build, so there is nothing to check")
                return 77
            return fail("the test program does not build")
        cmd = [args.racelab, "run"] + opts + ["--", prog] + prog_args
    else:
        cmd = [args.racelab, "file"] + opts + [src, "--"] + prog_args
    env = {k: val for k, val in os.environ.items() if k != "TSAN_OPTIONS" and not k.startswith("RACELAB_")}
    harness_tmp = os.path.join(tmp, "tmp")  # racelab's temporary files go here, and must be gone after
    os.mkdir(harness_tmp)
    env["TMPDIR"] = harness_tmp
    for e in glob["Env"] + v["Env"]:
        k, _, val = expand(e, ctx).partition("=")
        env[k] = val
    print("$ " + " ".join("%s=%s" % (k, shlex.quote(env[k])) for k in sorted(env)
                          if any(e.startswith(k + "=") for e in glob["Env"] + v["Env"])) + " " + shlex.join(cmd))
    out_path = os.path.join(tmp, "racelab.out")
    t0 = time.monotonic()
    with open(out_path, "wb") as out:
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        if v.get("Interrupt"):
            pid = wait_fifo(ctx["FIFO"], 30)
            if pid is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
                return fail("the program never reported that it runs")
            print("program %s runs: sending SIGINT to racelab's process group" % pid)
            os.killpg(p.pid, signal.SIGINT)
        try:
            rc = p.wait(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            rc = None
    wall = time.monotonic() - t0
    size = os.path.getsize(out_path)
    with open(out_path, "rb") as f:
        text = f.read(20000).decode("utf-8", "replace")
    print(text + ("\n[... %d bytes of racelab output in all]" % size if size > 20000 else ""))
    left = marker_pids(marker)
    for pid in left:  # leave the machine clean even when failing
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    problems = []
    if rc is None:
        problems.append("racelab did not finish within %d s" % args.timeout)
    elif rc != v["exit"]:
        problems.append("exit: expected %d, got %d" % (v["exit"], rc))
    if left:
        problems.append("processes left running after the check: %s" % left)
    leftovers = sorted(os.listdir(harness_tmp))
    if leftovers and rc is not None and rc >= 0:  # a killed racelab cannot clean up
        problems.append("racelab left temporary files behind: %s" % leftovers)
    result = {}
    try:
        with open(json_path, encoding="utf-8") as f:
            result = json.load(f)["results"][0]
    except (OSError, ValueError, KeyError, IndexError) as e:
        if v["kinds"] or v["Where"] or v["Located"] or v["Note"]:
            problems.append("no JSON result: %s" % e)
    kinds = result.get("kinds") or []
    findings = result.get("findings") or []
    for k in v["kinds"]:
        if k not in kinds:
            problems.append("kind %s: expected, got %s" % (k, kinds or "none"))
    for k in v["Absent"]:
        if k in kinds:
            problems.append("kind %s: must not appear, got %s" % (k, kinds))
    for w in v["Where"]:
        kind, _, needle = w.partition(" ")
        hay = [json.dumps(f) for f in findings if f.get("kind") == kind]
        if not any(needle in h for h in hay):
            problems.append("no %s finding mentions %r" % (kind, needle))
    for kind in v["Located"]:
        for f in findings:
            if f.get("kind") != kind:
                continue
            if not any(a.get("file") and a.get("line") and a.get("function") for a in f.get("accesses") or []):
                problems.append("a %s finding has no function, file and line: %s" % (kind, f.get("message")))
    for n in v["Note"]:
        if n not in (result.get("notes") or ""):
            problems.append("notes do not mention %r (notes: %r)" % (n, result.get("notes")))
    if v.get("Max-output") and size >= int(v["Max-output"]):
        problems.append("racelab printed %d bytes (bound %s)" % (size, v["Max-output"]))
    if v.get("Max-seconds") and wall >= float(v["Max-seconds"]):
        problems.append("the check took %.1f s (bound %s s)" % (wall, v["Max-seconds"]))
    print("%s: expected exit %d %s; got exit %s kinds %s in %.2f s" %
          (name, v["exit"], " ".join(v["kinds"]) or "(no kinds)", rc, " ".join(kinds) or "(none)", wall))
    if problems:
        for pr in problems:
            print("FAIL: " + pr)
        return 1
    print("PASS")
    return 0


def scenario_unknown_lab(args):
    """racelab check nosuch: exit 2, and the message lists every lab."""
    r = subprocess.run([args.racelab, "check", "nosuch"], capture_output=True, text=True, timeout=60)
    print(r.stdout + r.stderr)
    labs = []
    with open(os.path.join(args.source_dir, "labs", "labs.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                labs.append(line.split()[0])
    problems = []
    if r.returncode != 2:
        problems.append("exit: expected 2, got %d" % r.returncode)
    missing = [lab for lab in labs if not re.search(r"\b%s\b" % re.escape(lab), r.stderr)]
    if missing:
        problems.append("the message does not list the labs %s" % missing)
    for pr in problems:
        print("FAIL: " + pr)
    return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--racelab")
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--source-dir", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--timeout", type=int, default=90)
    ap.add_argument("--list", nargs="+", metavar="FILE", help="print 'name<TAB>file<TAB>index' per variant")
    ap.add_argument("--scenario")
    ap.add_argument("file", nargs="?")
    ap.add_argument("index", nargs="?", type=int)
    args = ap.parse_args()
    if args.list:
        for path in sorted(args.list):
            glob, variants = parse_header(path)
            for i, name in enumerate(variant_names(path, variants)):
                print("%s\t%s\t%d" % (name, path, i))
        return 0
    if args.scenario == "unknown-lab":
        return scenario_unknown_lab(args)
    glob, variants = parse_header(args.file)
    if args.index is None or args.index >= len(variants):
        print("no variant %s in %s" % (args.index, args.file))
        return 2
    name = variant_names(args.file, variants)[args.index]
    return run_variant(args, args.file, glob, variants[args.index], name)


if __name__ == "__main__":
    sys.exit(main())
