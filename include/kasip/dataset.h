/*
 * kasip/dataset.h - the built-in Kazakhstan data set.
 *
 * data/kz/ holds the official figures as CSV files, each with its source
 * (data/kz/SOURCES.md), and the forecast's inputs (data/kz/forecast/:
 * assumptions, staffing and flexibility matrices, specialty groups,
 * investment projects and the shipped scenarios).  ksp_dataset_load()
 * imports them all in order into an open store, so that the database alone
 * is what every computation reads (no run opens a file of the data set); ksp_dataset_derive() then computes the estimates that no
 * public source gives at the detail the forecast needs (docs/data.md), each
 * row marked with a source of kind 'estimate' and its method.
 */
#ifndef KASIP_DATASET_H
#define KASIP_DATASET_H

#include "kasip/error.h"
#include "kasip/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Import every file of the data set in dir (e.g. "data/kz") into s, and
 * add the shipped scenarios of dir/forecast/scenarios (ksp_scenario_seed),
 * inside the caller's transaction (the caller begins and commits, so that
 * init is all or nothing).  Errors are those of the importer, naming file,
 * line, column and field.
 */
int ksp_dataset_load(struct ksp_store *s, const char *dir, struct ksp_error *err);

/*
 * Compute the derived estimates from the loaded official tables and store
 * them (inside the caller's transaction).  Errors: KSP_EINVAL when the
 * official margins are inconsistent, KSP_EDB.
 */
int ksp_dataset_derive(struct ksp_store *s, struct ksp_error *err);

#ifdef __cplusplus
}
#endif
#endif
