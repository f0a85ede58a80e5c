#!/usr/bin/env python3
"""Write the made-up national classifier TEST-NKZ and its crosswalk from ISCO-08.

TEST DATA ONLY: TEST-NKZ is not НК РК 01-2017 nor any real classifier.  It
exists so that the tests can run `kasip forecast --classification TEST-NKZ`
on the built-in data set.  Run from the top of the source tree:

    python3 tests/data/forecast/make-test-nkz.py

It reads data/kz/occupations.csv (the ISCO-08 groups) and writes
tests/data/forecast/test-nkz-*.csv.  The classifier has four levels whose
codes carry no ISCO-like prefix structure (only parent_code links them):

  level 1  M0..M9     one per ISCO-08 major group
  level 2  S01..      ISCO-08 sub-major groups merged in pairs within a major
  level 3  G001..     one per ISCO-08 minor group, plus G999, a leaf at level 3
  level 4  U0001..    one per ISCO-08 unit group, except as below

and the crosswalk FROM ISCO-08 TO TEST-NKZ (weights = shares of the ISCO
unit group's workers in each national code, summing to 1 per unit group)
is one to one except:

  2511 -> its own code 0.6, U9001 (same minor group) 0.4            (split)
  7212 -> its own code 0.5, U9002 (another minor, same major) 0.5   (split)
  9112 -> the code of 9111, 1.0                                     (merge)
  3512 -> its own code 0.75, the code of 2523 (major M2) 0.25       (across majors)
  2431 -> its own code 0.7, G999 (a level-3 leaf) 0.2, U9003 0.1    (0.7+0.2+0.1 != 1 in binary)
"""
import csv
import os

SRC = "data/kz/occupations.csv"
OUT = "tests/data/forecast"

rows = []
with open(SRC, newline="", encoding="utf-8") as f:
    lines = [l for l in f if not l.startswith("#")]
for r in csv.DictReader(lines):
    if r["classification"] == "ISCO-08":
        rows.append(r)
by_level = {l: sorted(r["code"] for r in rows if int(r["level"]) == l) for l in (1, 2, 3, 4)}

major = {m: "M" + m for m in by_level[1]}
# sub-majors: pairs of consecutive ISCO sub-majors of one major
sub = {}
k = 0
for m in by_level[1]:
    subs = [s for s in by_level[2] if s[0] == m]
    for i, s in enumerate(subs):
        if i % 2 == 0:
            k += 1
        sub[s] = ("S%02d" % k, major[m])
minor = {}
for i, g in enumerate(by_level[3], 1):
    minor[g] = ("G%03d" % i, sub[g[:2]][0])
unit = {}
for i, u in enumerate(by_level[4], 1):
    unit[u] = ("U%04d" % i, minor[u[:3]][0])
del unit["9112"]  # merged into 9111's code

occ = []
for m in by_level[1]:
    occ.append((major[m], 1, "", "Test major group %s" % m))
seen = set()
for s in by_level[2]:
    code, parent = sub[s]
    if code not in seen:
        seen.add(code)
        occ.append((code, 2, parent, "Test sub-major group %s" % code))
for g in by_level[3]:
    code, parent = minor[g]
    occ.append((code, 3, parent, "Test minor group %s" % code))
occ.append(("G999", 3, sub["24"][0], "Test minor group without unit groups"))
for u in sorted(unit):
    code, parent = unit[u]
    occ.append((code, 4, parent, "Test unit group %s" % code))
occ.append(("U9001", 4, minor["251"][0], "Test unit group split from 2511"))
occ.append(("U9002", 4, minor["722"][0], "Test unit group split from 7212"))
occ.append(("U9003", 4, minor["243"][0], "Test unit group split from 2431"))

cw = []
special = {
    "2511": [(unit["2511"][0], "0.6"), ("U9001", "0.4")],
    "7212": [(unit["7212"][0], "0.5"), ("U9002", "0.5")],
    "9112": [(unit["9111"][0], "1")],
    "3512": [(unit["3512"][0], "0.75"), (unit["2523"][0], "0.25")],
    "2431": [(unit["2431"][0], "0.7"), ("G999", "0.2"), ("U9003", "0.1")],
}
for u in by_level[4]:
    for to, w in special.get(u, [(unit.get(u, ("",))[0], "1")]):
        cw.append(("ISCO-08", u, "TEST-NKZ", to, w))

os.makedirs(OUT, exist_ok=True)
note = "# TEST DATA, made up for kasip's tests (tests/data/forecast/make-test-nkz.py): not a real classifier.\n"
with open(os.path.join(OUT, "test-nkz-sources.csv"), "w", newline="", encoding="utf-8") as f:
    f.write(note)
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "kind", "title", "note"])
    w.writerow(["test-nkz", "user", "TEST-NKZ, a made-up classifier for kasip's tests", "not real data"])
with open(os.path.join(OUT, "test-nkz-classifications.csv"), "w", newline="", encoding="utf-8") as f:
    f.write(note)
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "domain", "title", "source"])
    w.writerow(["TEST-NKZ", "occupation", "Made-up national classifier (test data only)", "test-nkz"])
with open(os.path.join(OUT, "test-nkz-occupations.csv"), "w", newline="", encoding="utf-8") as f:
    f.write(note)
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["classification", "code", "level", "parent_code", "title_en", "source"])
    for code, level, parent, title in occ:
        w.writerow(["TEST-NKZ", code, level, parent, title, "test-nkz"])
with open(os.path.join(OUT, "test-nkz-crosswalk.csv"), "w", newline="", encoding="utf-8") as f:
    f.write(note)
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["from_classification", "from_code", "to_classification", "to_code", "weight", "source"])
    for row in cw:
        w.writerow(list(row) + ["test-nkz"])
print(len(occ), "codes,", len(cw), "crosswalk rows")
