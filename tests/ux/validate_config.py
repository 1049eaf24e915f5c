#!/usr/bin/env python3
"""validate_config.py - the CI workflow and the classroom autograding config
are well-formed and say what they must.

    validate_config.py ROOT [--strict]

.github/workflows/ci.yml (YAML): triggered on push and pull requests, checks
out the repository, runs the README's test command with ctest's JUnit output,
and uploads that file even when the tests fail.

.github/classroom/autograding.json (JSON): GitHub Classroom's fields on every
test, each test grades one tier of a lab in labs/labs.txt, one point a tier.
A lab missing from it is a warning (an error with --strict): labs are added
by others, and scripts/gen-classroom regenerates the file.

PyYAML is used when present; otherwise a small parser of the YAML subset
these files use (block mappings and sequences, flow lists, quoted and block
scalars).  With both, the two must agree on ci.yml.
"""
import json
import os
import re
import sys

errors, warnings = [], []


def err(msg):
    errors.append(msg)


# --- a YAML subset ----------------------------------------------------------

def _scalar(text):
    t = text.strip()
    if not t:
        return None
    if t[0] in "'\"":
        q = t[0]
        end = t.rfind(q)
        body = t[1:end]
        return body.replace("''", "'") if q == "'" else bytes(body, "utf-8").decode("unicode_escape")
    if t.startswith("[") and t.endswith("]"):
        inner = t[1:-1].strip()
        return [_scalar(x) for x in inner.split(",")] if inner else []
    if t in ("true", "True"):
        return True
    if t in ("false", "False"):
        return False
    if t in ("null", "~"):
        return None
    if re.fullmatch(r"-?\d+", t):
        return int(t)
    return t


def _strip_comment(line):
    out, q = [], None
    for i, ch in enumerate(line):
        if q:
            if ch == q:
                q = None
        elif ch in "'\"":
            q = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            break
        out.append(ch)
    return "".join(out).rstrip()


def mini_yaml(text):
    raw = text.split("\n")
    lines = []  # (indent, content, raw index)
    for i, l in enumerate(raw):
        s = _strip_comment(l)
        if s.strip():
            lines.append((len(s) - len(s.lstrip(" ")), s.strip(), i))
    pos = 0

    def block_scalar(indent_parent, style, raw_index):
        nonlocal pos
        body, j = [], raw_index + 1
        ind = None
        while j < len(raw):
            l = raw[j]
            if l.strip() == "":
                body.append("")
                j += 1
                continue
            cur = len(l) - len(l.lstrip(" "))
            if cur <= indent_parent:
                break
            ind = cur if ind is None else ind
            body.append(l[ind:])
            j += 1
        while pos < len(lines) and lines[pos][2] < j:
            pos += 1
        while body and body[-1] == "":
            body.pop()
        return ("\n".join(body) + "\n") if style == "|" else (" ".join(body) + "\n")

    def value_after(indent, rest, raw_index):
        nonlocal pos
        if rest in ("|", ">", "|-", ">-"):
            return block_scalar(indent, rest[0], raw_index)
        if rest:
            return _scalar(rest)
        if pos < len(lines) and lines[pos][0] > indent:
            return parse(lines[pos][0])
        if pos < len(lines) and lines[pos][0] == indent and lines[pos][1].startswith("- "):
            return parse(indent)
        return None

    def parse(indent):
        nonlocal pos
        if lines[pos][1].startswith("-"):
            seq = []
            while pos < len(lines) and lines[pos][0] == indent and lines[pos][1].startswith("-"):
                _, content, ri = lines[pos]
                item = content[1:].strip()
                pos += 1
                if not item:
                    seq.append(parse(lines[pos][0]) if pos < len(lines) and lines[pos][0] > indent else None)
                elif re.match(r"^[^'\"\[{][^:]*:( |$)", item):
                    # a mapping whose first key sits on the dash line
                    sub_indent = indent + (len(content) - len(item))
                    lines.insert(pos, (sub_indent, item, ri))
                    seq.append(parse(sub_indent))
                else:
                    seq.append(_scalar(item))
            return seq
        m = {}
        while pos < len(lines) and lines[pos][0] == indent and not lines[pos][1].startswith("- "):
            _, content, ri = lines[pos]
            mm = re.match(r"^([^:]+?):( +(.*))?$", content)
            if not mm:
                err("yaml: cannot read line %d: %s" % (ri + 1, content))
                pos += 1
                continue
            key, rest = mm.group(1).strip().strip("'\""), (mm.group(3) or "").strip()
            pos += 1
            m[key] = value_after(indent, rest, ri)
        return m

    return parse(lines[0][0]) if lines else None


def load_yaml(path):
    text = open(path).read()
    try:
        mine = mini_yaml(text)
    except (IndexError, ValueError) as e:
        err("%s: not readable YAML (subset parser: %s)" % (path, e))
        mine = None
    try:
        import yaml  # noqa
    except ImportError:
        print("note: PyYAML not installed: using the built-in subset parser")
        return mine
    try:
        theirs = yaml.safe_load(text)
    except yaml.YAMLError as e:
        err("%s: not YAML: %s" % (path, str(e).replace("\n", " ")))
        return None
    if not isinstance(theirs, dict):
        return theirs
    if True in theirs and "on" not in theirs:  # YAML 1.1 reads the key `on` as true
        theirs["on"] = theirs.pop(True)
    if theirs != mine:
        err("the subset parser and PyYAML disagree on %s" % path)
    return theirs


# --- the workflow -----------------------------------------------------------

def readme_test_command(root):
    """The quick start's test command: `./scripts/lab test` in the README."""
    for line in open(os.path.join(root, "README.md")):
        m = re.match(r"^\s+(\./scripts/lab test)\b", line)
        if m:
            return m.group(1)
    err("README.md has no test command (./scripts/lab test) in its quick start")
    return "./scripts/lab test"


def check_workflow(root):
    path = os.path.join(root, ".github/workflows/ci.yml")
    if not os.path.exists(path):
        return err("missing %s" % path)
    wf = load_yaml(path)
    if not isinstance(wf, dict):
        return err("ci.yml: not a mapping")
    on = wf.get("on")
    triggers = set(on) if isinstance(on, (dict, list)) else {on}
    for t in ("push", "pull_request"):
        if t not in triggers:
            err("ci.yml: not triggered on %s" % t)
    jobs = wf.get("jobs")
    if not isinstance(jobs, dict) or not jobs:
        return err("ci.yml: no jobs")
    want_cmd = readme_test_command(root)
    found_checkout = found_test = found_upload = False
    for name, job in jobs.items():
        if not isinstance(job, dict) or "runs-on" not in job:
            err("ci.yml: job %s has no runs-on" % name)
            continue
        steps = job.get("steps")
        if not isinstance(steps, list) or not steps:
            err("ci.yml: job %s has no steps" % name)
            continue
        junit = None
        for st in steps:
            if not isinstance(st, dict) or not ("uses" in st or "run" in st):
                err("ci.yml: job %s: a step with neither uses nor run" % name)
                continue
            uses, run = st.get("uses", ""), st.get("run", "") or ""
            if uses.startswith("actions/checkout@"):
                found_checkout = True
            for line in run.splitlines():
                if line.strip().startswith(want_cmd):
                    m = re.search(r"--output-junit\s+\"?([^\"\s]+)\"?", line)
                    if not m:
                        err("ci.yml: the test step does not ask ctest for JUnit (--output-junit FILE)")
                    else:
                        found_test = True
                        junit = os.path.basename(m.group(1))
            if uses.startswith("actions/upload-artifact@"):
                w = st.get("with") or {}
                if junit is None:
                    err("ci.yml: the upload step comes before the test step")
                elif os.path.basename(str(w.get("path", ""))) != junit:
                    err("ci.yml: the upload step's path %r is not the JUnit file %r" % (w.get("path"), junit))
                elif "always()" not in str(st.get("if", "")):
                    err("ci.yml: the upload step must run when the tests fail (if: always())")
                else:
                    found_upload = True
    if not found_checkout:
        err("ci.yml: no actions/checkout step")
    if not found_test:
        err("ci.yml: no step runs the README's test command %r" % want_cmd)
    if not found_upload:
        err("ci.yml: no actions/upload-artifact step for the JUnit file")


# --- the autograding config -------------------------------------------------

TIERS = ("builds", "behaves", "race-free")


def registry(root):
    labs = []
    for line in open(os.path.join(root, "labs/labs.txt")):
        line = line.strip()
        if line and not line.startswith("#"):
            labs.append(line.split()[0])
    return labs


def check_autograding(root, strict):
    path = os.path.join(root, ".github/classroom/autograding.json")
    if not os.path.exists(path):
        return err("missing %s" % path)
    try:
        cfg = json.load(open(path))
    except ValueError as e:
        return err("autograding.json: not JSON: %s" % e)
    tests = cfg.get("tests") if isinstance(cfg, dict) else None
    if not isinstance(tests, list) or not tests:
        return err("autograding.json: no \"tests\" list")
    labs = registry(root)
    seen, names = {}, set()
    for i, t in enumerate(tests):
        where = "autograding.json: test %d" % (i + 1)
        if not isinstance(t, dict):
            err("%s: not an object" % where)
            continue
        for field, kind in (("name", str), ("setup", str), ("run", str), ("input", str), ("output", str),
                            ("comparison", str), ("timeout", int), ("points", int)):
            if not isinstance(t.get(field), kind) or isinstance(t.get(field), bool):
                err("%s: field %r missing or not %s" % (where, field, kind.__name__))
        if t.get("name") in names:
            err("%s: duplicate name %r" % (where, t.get("name")))
        names.add(t.get("name"))
        if t.get("comparison") not in ("included", "exact", "regex"):
            err("%s: comparison must be included, exact or regex" % where)
        if isinstance(t.get("timeout"), int) and not 1 <= t["timeout"] <= 60:
            err("%s: timeout is in minutes, 1..60" % where)
        if isinstance(t.get("points"), int) and t["points"] < 0:
            err("%s: negative points" % where)
        m = re.fullmatch(r"\./scripts/lab grade ([a-z0-9_]+) --tier (\S+)", str(t.get("run", "")))
        if not m:
            err("%s: run is not ./scripts/lab grade LAB --tier TIER" % where)
            continue
        lab, tier = m.groups()
        if lab not in labs:
            err("%s: no lab %r in labs/labs.txt" % (where, lab))
        if tier not in TIERS:
            err("%s: tier %r is not one of %s" % (where, tier, ", ".join(TIERS)))
        seen.setdefault(lab, set()).add(tier)
    for lab in labs:
        if seen.get(lab, set()) != set(TIERS):
            msg = "autograding.json does not grade every tier of lab %s: run ./scripts/gen-classroom" % lab
            (errors if strict else warnings).append(msg)
    if tests and not any(t.get("setup") for t in tests if isinstance(t, dict)):
        err("autograding.json: no test installs the toolchain (setup)")


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    strict = "--strict" in sys.argv
    check_workflow(root)
    check_autograding(root, strict)
    for w in warnings:
        print("warning: " + w)
    for e in errors:
        print("error: " + e)
    if errors:
        return 1
    print("ok: ci.yml and autograding.json are well-formed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
