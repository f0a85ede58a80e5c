#!/usr/bin/env python3
# Prints the table of docs/methodology.md, "The regions' balances beside the
# government's surplus and shortage regions": every region's cumulative gap to
# 2030 as a share of its 2030 demand, with and without the other entrants,
# before and after the labour reserve entered new supply, from the current
# engine on a fresh database.
#
#   python3 scripts/docs/regions_balance.py build/release/kasip
#
# "before" is the baseline with reserve.draw = 0 (a user scenario), "after"
# the baseline; both `kasip forecast --to 2030`.  The reserve drawn is the sum
# of the cells' reserve over 2026-2030.  Rank 1 is the most short counting
# the other entrants (the summary's order).
import os, subprocess, sys, tempfile

kasip = os.path.abspath(sys.argv[1])
gov = {"North Kazakhstan Region": "**shortage**", "Zhambyl Region": "**surplus**",
       "Turkistan Region": "**surplus**"}


def run(db, *args):
    return subprocess.run([kasip, "--db", db, *args], check=True, capture_output=True,
                          text=True).stdout


def num(s):
    return float(s.replace(",", ""))


def regions(summary):
    """{name: (gap %, with them %)} and the order, from the summary's region table."""
    rows, on = {}, False
    order = []
    for line in summary.splitlines():
        if line.startswith("region ") and "with them %" in line:
            on = True
            continue
        if on and line.startswith("---"):
            continue
        if on and not line.strip():
            break
        if on:
            parts = line.rsplit(None, 5)
            name = parts[0].strip()
            rows[name] = (num(parts[2]), num(parts[5]))
            order.append(name)
    return rows, order


def national(summary):
    net = entr = None
    for line in summary.splitlines():
        if line.startswith("National shortfall in"):
            net = float(line.split("; ")[-1].split(" %")[0])
        if line.startswith("Counting also the other entrants"):
            entr = float(line.split("(")[-1].split(" %")[0])
    return net, entr


with tempfile.TemporaryDirectory() as d:
    db = os.path.join(d, "k.db")
    run(db, "init")
    run(db, "scenario", "new", "noreserve", "--set", "reserve.draw=0")
    after = run(db, "forecast", "--to", "2030")
    before = run(db, "forecast", "--scenario", "noreserve", "--to", "2030")
    names = {r.split(",")[0]: r.split(",")[3] for r in
             run(db, "regions", "--format", "csv").splitlines()[1:]}
    drawn = {}
    cells = run(db, "forecast", "--run", "1", "--format", "csv").splitlines()
    col = cells[0].split(",").index("reserve")
    for line in cells[1:]:
        f = line.split(",")
        if 2026 <= int(f[3]) <= 2030:
            drawn[f[1]] = drawn.get(f[1], 0) + float(f[col])

reg_a, order_a = regions(after)
reg_b, order_b = regions(before)
byname = {v: k for k, v in names.items()}
print("| region | government | reserve drawn 2026–2030 | gap %: before | after "
      "| with other entrants: before | after | rank: before | after |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
fmt = lambda x: f"{x:.1f}".replace("-", "−")
for name in order_a:
    print(f"| {name} | {gov.get(name, '')} | {drawn[byname[name]]:,.0f} | {fmt(reg_b[name][0])} "
          f"| {fmt(reg_a[name][0])} | {fmt(reg_b[name][1])} | {fmt(reg_a[name][1])} "
          f"| {order_b.index(name) + 1} | {order_a.index(name) + 1} |")
nb, eb = national(before)
na, ea = national(after)
print(f"| Kazakhstan (net) |  | {drawn['000000000']:,.0f} | {fmt(nb)} | {fmt(na)} | {fmt(eb)} "
      f"| {fmt(ea)} | | |")
