#!/usr/bin/env python3
# Generates data/kz/history/*.csv, the past series of the back-test, from
# data/upstream/history (see data/upstream/SOURCES.md, section history/, and
# docs/backtest.md).  Run it from anywhere: python3 scripts/data/gen_history.py
import csv, io, os
HERE = os.path.dirname(os.path.abspath(__file__))
UP = os.environ.get('KSP_UPSTREAM_DATA', os.path.join(HERE, '..', '..', 'data', 'upstream'))
UP = os.path.join(UP, 'history')
OUT = os.path.join(HERE, '..', '..', 'data', 'kz', 'history')

MIRROR = 'https://github.com/makenerzhan-gif/kazakhstan-economic-data/blob/454b3d3aa85bdb463ea0b60b3100906987f83e72/'
ILO = ('https://github.com/open-numbers/ddf--ilo--ilostat/blob/c50d060595275a48961dbd0c5971eedea95ffad8/'
       'datapoints/ddf--datapoints--emp_temp_sex_ocu_nb--by--ref_area--sex--classif1--time.csv')


def rd(name):
    with open(os.path.join(UP, name), encoding='utf-8') as f:
        lines = [l for l in f if not l.startswith('#')]
    r = list(csv.reader(lines))
    return [dict(zip(r[0], row)) for row in r[1:]]


def wr(name, header, rows, comment):
    buf = io.StringIO()
    for c in comment:
        buf.write('# ' + c + '\n')
    w = csv.writer(buf, lineterminator='\n')
    w.writerow(header)
    for row in rows:
        assert len(row) == len(header), (name, row)
        w.writerow(row)
    with open(os.path.join(OUT, name), 'w', encoding='utf-8') as f:
        f.write(buf.getvalue())
    print(name, len(rows))


def num(x):
    """A figure as written upstream, without a trailing .0."""
    v = float(x)
    s = repr(v)
    return s[:-2] if s.endswith('.0') else s


os.makedirs(OUT, exist_ok=True)

# ---------------------------------------------------------------- sources
S = []


def src(id, kind, title, publisher, url, method, note):
    S.append([id, kind, title, publisher, url, method, note])


src('bns-102798-history', 'official',
    'Employed population aged 15+ by region, annual 2001-2025 (2015 missing), thousand persons, on each year\'s borders (LFS)',
    'Bureau of National Statistics, dynamic table 102798 (Занятое население, по регионам)',
    MIRROR + 'data/processed/dims/employed_by_region.csv', '',
    'Copied from the mirror makenerzhan-gif/kazakhstan-economic-data @ 454b3d3aa85bdb463ea0b60b3100906987f83e72 '
    '(data/upstream/history/kz-employed-by-region-2001-2025.csv). Each year is on that year\'s borders: South Kazakhstan '
    '2001-2009, Shymkent and Turkistan from 2010; Abai, Zhetisu and Ulytau from 2022, when Almaty Region, East Kazakhstan '
    'and Karaganda lose them. 2015 is absent from the source. The mirror has no LICENSE file; the figures are BNS publications.')
src('bns-6576-history', 'official',
    'Average annual population by region 2009-2025, persons, recalculated by BNS to the 2022 regions',
    'Bureau of National Statistics, element 6576 (Среднегодовая численность населения)',
    MIRROR + 'data/processed/dims/population_avg_by_region.csv', '',
    'Same mirror and commit (data/upstream/history/kz-population-avg-by-region-2009-2025.csv); totals only, no age groups.')
src('bns-5831-history', 'official',
    'Employed population by OKED section, Kazakhstan, annual 2010-2025, thousand persons (LFS)',
    'Bureau of National Statistics, element 5831 (Занятое население по основным видам экономической деятельности)',
    MIRROR + 'data/processed/dims/employed_by_section.csv', '',
    'Same mirror and commit (data/upstream/history/kz-employed-by-oked-section-2010-2025.csv). National only. '
    'The source\'s IND row (B+C+D+E) is left out: it is the sum of the four sections, which are kept.')
src('ilostat-emp-ocu', 'official',
    'Employment by occupation (ISCO major groups), Kazakhstan, thousand persons, 2001-2013',
    'International Labour Organization, ILOSTAT indicator EMP_TEMP_SEX_OCU_NB',
    ILO, '',
    'Rows sex_t of ref_area kaz as mirrored by open-numbers/ddf--ilo--ilostat @ c50d060595275a48961dbd0c5971eedea95ffad8 '
    '(data/upstream/history/kz-employed-by-isco-major-2001-2013.csv). ISCO-88 2001-2008, ISCO-08 2009-2013; group 0 (armed '
    'forces) only 2011-2013 and X (not elsewhere classified) only 2009-2010 in ISCO-08. The skill-level rows of the source '
    'are left out. ILO data, reuse with attribution.')
src('kasip-history-territories', 'derived',
    'The territories of the employment series by region on each year\'s borders, and the years each is published for',
    'kasip (from BNS 102798 and the decrees that changed the regions)', '',
    'A territory is a region on the borders of the years it is published for. The 20 current regions keep their ISO '
    '3166-2 codes (KZ-10 ... KZ-79) and the country is KZ; the four units that later split carry the alphabetic ISO 3166-2 '
    'codes they had until 2020: KZ-YUZ South Kazakhstan (to 2009 in the series), KZ-ALM Almaty Region, KZ-VOS East '
    'Kazakhstan and KZ-KAR Karaganda Region on their borders before 8 June 2022.',
    'Shymkent became a city of republican significance and South Kazakhstan Region was renamed Turkistan in 2018; the BNS '
    'series carries the two apart from 2010. Shymkent\'s share of the two rises from 24.6 % (2014) to 31.2 % (2016), more '
    'than growth explains: the two are probably not on today\'s borders every year before 2018 (docs/backtest.md).')
src('kasip-est-region-concordance', 'estimate',
    'Concordance of the territories of the employment series with the 20 regions of 2022, with shares',
    'kasip (estimate from BNS 102798)', '',
    'A territory that split is shared among the regions it became in proportion to their employment in the first year '
    'published on the new borders: South Kazakhstan (KZ-YUZ) by Shymkent and Turkistan in 2010, Almaty Region (KZ-ALM) by '
    'Almaty Region and Zhetisu, East Kazakhstan (KZ-VOS) by East Kazakhstan and Abai, Karaganda (KZ-KAR) by Karaganda and '
    'Ulytau in 2022 (BNS 102798). A territory with today\'s borders maps to its region with share 1 (exact).',
    'An estimate: it assumes each part kept the share of the first year on the new borders in every earlier year. '
    'Population shares of the split year on the 2022 borders (BNS 6576) give nearly the same shares in 2022 (within 1.6 '
    'points) but not for South Kazakhstan (Shymkent 29.7 % of the population in 2010 against 22.8 % of the employed), '
    'so employment shares are used. The back-test also compares on consistent borders (merged regions), which needs no '
    'share (docs/backtest.md).')
wr('sources.csv', ['id', 'kind', 'title', 'publisher', 'url', 'method', 'note'], S,
   ['Sources of the past series of the back-test (docs/backtest.md); imported into the sources table by kasip init.'])

# ---------------------------------------------------------------- territories
ISO = {'ABY': 'KZ-10', 'AKM': 'KZ-11', 'AKT': 'KZ-15', 'ALM': 'KZ-19', 'ATY': 'KZ-23', 'ZKO': 'KZ-27',
       'ZHM': 'KZ-31', 'ZHT': 'KZ-33', 'KRG': 'KZ-35', 'KST': 'KZ-39', 'KZL': 'KZ-43', 'MNG': 'KZ-47',
       'PVL': 'KZ-55', 'SKO': 'KZ-59', 'TRK': 'KZ-61', 'ULT': 'KZ-62', 'VKO': 'KZ-63', 'AST': 'KZ-71',
       'ALA': 'KZ-75', 'SHM': 'KZ-79', 'national': 'KZ'}
# Units that split: mirror code -> (old code, last year on the old borders).
OLD = {'YKO': ('KZ-YUZ', 2009), 'ALM': ('KZ-ALM', 2021), 'VKO': ('KZ-VOS', 2021), 'KRG': ('KZ-KAR', 2021)}
SPLIT = {'KZ-YUZ': (2010, ['KZ-79', 'KZ-61']), 'KZ-ALM': (2022, ['KZ-19', 'KZ-33']),
         'KZ-VOS': (2022, ['KZ-63', 'KZ-10']), 'KZ-KAR': (2022, ['KZ-35', 'KZ-62'])}
OLD_NAMES = {
    'KZ-YUZ': ('South Kazakhstan Region (before the split into Shymkent and Turkistan)', 'Южно-Казахстанская область'),
    'KZ-ALM': ('Almaty Region within its borders before 8 June 2022 (with Zhetisu)', 'Алматинская область (до 8 июня 2022 г.)'),
    'KZ-VOS': ('East Kazakhstan Region within its borders before 8 June 2022 (with Abai)', 'Восточно-Казахстанская область (до 8 июня 2022 г.)'),
    'KZ-KAR': ('Karaganda Region within its borders before 8 June 2022 (with Ulytau)', 'Карагандинская область (до 8 июня 2022 г.)'),
}
with open(os.path.join(HERE, '..', '..', 'data', 'kz', 'regions.csv'), encoding='utf-8') as f:
    REG = {r['iso']: r for r in csv.DictReader(l for l in f if not l.startswith('#'))}


def territory(code, year):
    for m, (old, last) in OLD.items():
        if code == m and year <= last:
            return old
    return ISO[code]


emp = {}
for r in rd('kz-employed-by-region-2001-2025.csv'):
    y = int(r['year'])
    t = territory(r['region'], y)
    assert (t, y) not in emp, (t, y)
    emp[t, y] = r['employed_thousand']
years = {}
for (t, y) in emp:
    years.setdefault(t, []).append(y)

T = []
for code in sorted(years, key=lambda c: (c.startswith('KZ-') and not c[3:].isdigit(), c)):
    ys = sorted(years[code])
    if code in OLD_NAMES:
        en, ru = OLD_NAMES[code]
        note = 'split in %d: %s' % (SPLIT[code][0], ' and '.join(SPLIT[code][1]))
        T.append([code, en, ru, ys[0], ys[-1], note, 'kasip-history-territories'])
    else:
        reg = REG[code]
        note = ''
        if code in ('KZ-79', 'KZ-61'):
            note = 'published apart from 2010 (Shymkent a city of republican significance from 2018); probably not on today\'s borders every year before 2018'
        if code in ('KZ-19', 'KZ-63', 'KZ-35'):
            note = 'on the borders of 8 June 2022; the same name before is another territory (%s)' % {
                'KZ-19': 'KZ-ALM', 'KZ-63': 'KZ-VOS', 'KZ-35': 'KZ-KAR'}[code]
        T.append([code, reg['name_en'], reg['name_ru'], ys[0], ys[-1], note,
                  'kasip-history-territories'])
wr('territories.csv', ['code', 'name_en', 'name_ru', 'first_year', 'last_year', 'note', 'source'], T,
   ['Territories of the employment series by region on each year\'s borders (sources.csv: kasip-history-territories).',
    'The 20 current regions keep their ISO 3166-2 codes; the four that split carry their former alphabetic ISO codes.'])

# ---------------------------------------------------------------- concordance
C = []
for code in [t[0] for t in T]:
    if code in SPLIT:
        y, parts = SPLIT[code]
        tot = sum(float(emp[p, y]) for p in parts)
        shares = [round(float(emp[p, y]) / tot, 6) for p in parts]
        shares[-1] = round(1 - sum(shares[:-1]), 6)
        for p, s in zip(parts, shares):
            C.append([code, p, '%.6f' % s, 'employment_share', 'kasip-est-region-concordance'])
    else:
        C.append([code, code, '1', 'same', 'kasip-est-region-concordance'])
wr('concordance.csv', ['territory', 'region', 'share', 'method', 'source'], C,
   ['Each territory of the series mapped to the regions of 2022 with the share of its employed that each has today',
    '(sources.csv: kasip-est-region-concordance; an estimate where method is employment_share, docs/backtest.md).'])

# ---------------------------------------------------------------- employment by territory
E = []
for (t, y) in sorted(emp, key=lambda k: ([x[0] for x in T].index(k[0]), k[1])):
    E.append([t, y, num(emp[t, y]), 'thousand persons', 'bns-102798-history'])
wr('employment.csv', ['territory', 'year', 'employed', 'unit', 'source'], E,
   ['Employed aged 15+ by territory (each year\'s borders) and the country (KZ), thousand persons, 2001-2025; 2015 is',
    'missing in the source (sources.csv: bns-102798-history; territories.csv says which borders).'])

# ---------------------------------------------------------------- population
P = []
for r in rd('kz-population-avg-by-region-2009-2025.csv'):
    P.append([ISO[r['region']], int(r['year']), num(r['population_avg']), 'persons', 'bns-6576-history'])
P.sort(key=lambda p: (p[0] != 'KZ', p[0], p[1]))
wr('population.csv', ['region', 'year', 'population', 'unit', 'source'], P,
   ['Average annual population by region on the 2022 borders, persons, 2009-2025 (sources.csv: bns-6576-history).'])

# ---------------------------------------------------------------- employment by section
X = []
for r in rd('kz-employed-by-oked-section-2010-2025.csv'):
    if r['section'] == 'IND':
        continue
    X.append([r['section'], int(r['year']), num(r['employed_thousand']), 'thousand persons', 'bns-5831-history'])
X.sort(key=lambda x: (x[0] == 'TOTAL', x[0], x[1]))
wr('employment_sections.csv', ['industry', 'year', 'employed', 'unit', 'source'], X,
   ['Employed by OKED section (A..S) and in total, Kazakhstan, thousand persons, 2010-2025 (sources.csv: bns-5831-history).'])

# ---------------------------------------------------------------- employment by occupation
O = []
for r in rd('kz-employed-by-isco-major-2001-2013.csv'):
    c = r['classif1']
    if not c.startswith('ocu_isco'):
        continue
    cl = 'ISCO-08' if c.startswith('ocu_isco08') else 'ISCO-88'
    g = c.split('_')[-1]
    g = {'total': 'TOTAL', 'x': 'X'}.get(g, g)
    O.append([cl, g, int(r['time']), num(r['value_thousands']), 'thousand persons', 'ilostat-emp-ocu'])
O.sort(key=lambda o: (o[0], o[2], o[1] == 'TOTAL', o[1]))
wr('employment_occupations.csv', ['classification', 'major_group', 'year', 'employed', 'unit', 'source'], O,
   ['Employed by ISCO major group (0..9, X not elsewhere classified, TOTAL), Kazakhstan, thousand persons:',
    'ISCO-88 2001-2008, ISCO-08 2009-2013 (sources.csv: ilostat-emp-ocu).'])
