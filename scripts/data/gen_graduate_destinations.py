#!/usr/bin/env python3
# Writes data/kz/forecast/graduate_destinations.csv: where the graduates of each
# region work, an ESTIMATE from the regions' migration balances of the young
# (docs/methodology.md, "Graduates where they will work"; docs/data.md).
#
#   python3 scripts/data/gen_graduate_destinations.py KASIP_DB > data/kz/forecast/graduate_destinations.csv
#
# KASIP_DB is a database made by `kasip init` (the script reads the 2024
# interregional balances and the migration age profile of forecast-assumptions,
# and the 2025 population by region, sex and single year of age that init
# estimates).  Method, for each region r:
#   bal[r]   the 2024 net interregional migration: the four gaining regions'
#            published balances; the others share the gainers' total in
#            proportion to their population (the forecast's own rule);
#   young[r] = bal[r] * (the migration age profile's share of ages 20-29):
#            the net migrants of a year aged 20-29;
#   cohort[r] = population aged 20-29 / 10: one year of age;
#   a losing region's graduates who work elsewhere: -young[r] / cohort[r]
#            (the share of a cohort it loses, net, over its twenties), going
#            to the gaining regions in proportion to their balances; the
#            gaining regions keep their graduates (net: they gain young people).
# The same shares for TVET and higher education: no data by level.
import math, sqlite3, sys

db = sqlite3.connect(sys.argv[1])
asm = {(n, k): v for n, k, v in db.execute("SELECT name, key, value FROM forecast_assumption")}
regs = [(k, i) for k, i in db.execute(
    "SELECT kato, iso FROM region WHERE type <> 'country' ORDER BY kato")]
base = int(float(asm[('base_year', '')]))
P = {x: float(asm[('migration.profile', x)]) for x in
     ('a1', 'alpha1', 'a2', 'alpha2', 'mu2', 'lambda2', 'c', 'max_age')}
prof = []
for a in range(101):
    if a > P['max_age']:
        prof.append(0.0)
        continue
    prof.append(P['a1'] * math.exp(-P['alpha1'] * a) +
                P['a2'] * math.exp(-P['alpha2'] * (a - P['mu2']) - math.exp(-P['lambda2'] * (a - P['mu2']))) +
                P['c'])
young_share = sum(prof[20:30]) / sum(prof)

pop, p2029 = {}, {}
for kato, iso in regs:
    rows = db.execute("SELECT age, value FROM population WHERE region = ? AND year = ? AND measure = 'average' "
                      "AND sex IN ('male', 'female') AND age <> 'total'", (kato, base)).fetchall()
    pop[iso] = sum(v for a, v in rows)
    p2029[iso] = sum(v for a, v in rows if a.isdigit() and 20 <= int(a) <= 29)
bal = {}
gain = {iso: float(asm[('migration.internal_2024', iso)]) for _, iso in regs
        if ('migration.internal_2024', iso) in asm}
losers = [iso for _, iso in regs if iso not in gain]
lose_pop = sum(pop[i] for i in losers)
for iso in losers:
    bal[iso] = -sum(gain.values()) * pop[iso] / lose_pop
bal.update(gain)

print('# kasip init loads this file into the table graduate-destinations (kasip import graduate-destinations FILE replaces rows).')
print('# Where the graduates of each region work: study region -> work region, by level; the shares of a study region sum to 1.')
print('# ESTIMATE (kasip-est-graduate-destinations) from the regions\' 2024 migration balances of people aged 20-29, written by')
print('# scripts/data/gen_graduate_destinations.py (its header gives the method); the same shares for both levels: no data by level.')
print('study_region,work_region,level,share,kind,source,note')
tg = sum(gain.values())
for _, iso in regs:
    out = {}
    if iso in losers:
        leave = min(1.0, -bal[iso] * young_share / (p2029[iso] / 10))
        for g, v in sorted(gain.items()):
            out[g] = round(leave * v / tg, 4)
    stay = round(1 - sum(out.values()), 4)
    for level in ('tvet', 'higher'):
        note = ('net loss of people aged 20-29 a year %.0f; cohort (one year of age) %.0f' % (-bal[iso] * young_share, p2029[iso] / 10)
                if iso in losers else 'gains young people: keeps its graduates')
        print('%s,%s,%s,%.4f,estimate,kasip-est-graduate-destinations,%s' % (iso, iso, level, stay, note))
        for g in sorted(out):
            print('%s,%s,%s,%.4f,estimate,kasip-est-graduate-destinations,' % (iso, g, level, out[g]))
