/*
 * kasip/kasip.h - libkasip, the labour-resources planning library.
 *
 * Include this one header to get the whole public API.
 */
#ifndef KASIP_KASIP_H
#define KASIP_KASIP_H

#include "kasip/error.h"
#include "kasip/csv.h"
#include "kasip/store.h"
#include "kasip/table.h"
#include "kasip/dataset.h"
#include "kasip/query.h"
#include "kasip/forecast.h"
#include "kasip/backtest.h"
#include "kasip/match.h"
#include "kasip/i18n.h"
#include "kasip/atlas.h"
#include "kasip/apikey.h"
#include "kasip/job.h"
#include "kasip/lp.h"
#include "kasip/plan.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version, e.g. "0.1.0". */
const char *ksp_version(void);

#ifdef __cplusplus
}
#endif
#endif
