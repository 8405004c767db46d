#ifndef CFAISS_H
#define CFAISS_H
/* C ABI over Debian's libfaiss (C++). Opaque handles, int status codes (0 = ok), and a
 * thread-local last-error string; no C++ type or exception crosses this boundary.
 * Every exported symbol starts with `cfaiss_`. */
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes returned by every fallible function. */
#define CFAISS_OK 0
#define CFAISS_ERR_ARGUMENT 1   /* a NULL handle, a negative count, a bad size */
#define CFAISS_ERR_FAISS 2      /* FAISS threw (message in cfaiss_last_error) */
#define CFAISS_ERR_MEMORY 3     /* allocation failed */
#define CFAISS_ERR_UNKNOWN 4    /* any other C++ exception */

/* Metrics, with FAISS's own numbering. */
#define CFAISS_METRIC_INNER_PRODUCT 0
#define CFAISS_METRIC_L2 1

/* An index owned by the caller; free it with cfaiss_index_free. */
typedef struct cfaiss_index cfaiss_index;

/* Per-call search options; zero-initialise and set what you need. Not retained after the call.
 * There is no per-call efSearch: FAISS 1.7.3's HNSW sizes its candidate queue from the index's own
 * efSearch even when SearchParametersHNSW says otherwise, so a per-call value only half applies.
 * Set it on the index (cfaiss_index_set_ef_search) instead. */
typedef struct cfaiss_search_options {
    int nprobe;                  /* IVF: > 0 overrides nprobe for this call only; others ignore it */
    const int64_t *excluded_ids; /* ids that are never returned (tombstones); may be NULL */
    size_t n_excluded;
} cfaiss_search_options;

/* Version string of the FAISS library linked in. */
const char *cfaiss_version(void);

/* Message of the last failed call on this thread ("" if none). Valid until the next call on it. */
const char *cfaiss_last_error(void);

/* Builds an index from a factory string ("Flat", "HNSW32,Flat", "IVF64,Flat", ...). When the
 * factory's index cannot take external ids (Flat, HNSW), it is wrapped in an IndexIDMap. */
int cfaiss_index_factory(cfaiss_index **out, int d, const char *description, int metric);

/* Frees an index; NULL is ignored. */
void cfaiss_index_free(cfaiss_index *index);

/* Dimension, number of stored vectors, training state and metric. */
int cfaiss_index_d(const cfaiss_index *index, int *out);
int cfaiss_index_ntotal(const cfaiss_index *index, int64_t *out);
int cfaiss_index_is_trained(const cfaiss_index *index, int *out);
int cfaiss_index_metric(const cfaiss_index *index, int *out);

/* Trains on n row-major vectors (IVF, PQ); a no-op for indexes that need no training. */
int cfaiss_index_train(cfaiss_index *index, int64_t n, const float *x);

/* Adds n row-major vectors under the given ids. */
int cfaiss_index_add_with_ids(cfaiss_index *index, int64_t n, const float *x, const int64_t *ids);

/* Searches n queries for their k nearest: distances and labels are n*k, row-major; missing
 * results have label -1. L2 distances are squared. options may be NULL. Safe to call from several
 * threads at once as long as no thread mutates the index meanwhile. */
int cfaiss_index_search(const cfaiss_index *index, int64_t n, const float *x, int64_t k,
                        const cfaiss_search_options *options, float *distances, int64_t *labels);

/* Removes the given ids; *removed receives how many were present. Fails for HNSW, which FAISS
 * cannot remove from. */
int cfaiss_index_remove_ids(cfaiss_index *index, const int64_t *ids, size_t n, size_t *removed);

/* Sets a named parameter through FAISS's ParameterSpace ("efSearch", "nprobe", ...). */
int cfaiss_index_set_parameter(cfaiss_index *index, const char *name, double value);

/* HNSW's efSearch and IVF's nprobe, read and set directly (fail if the index has no such knob).
 * Setting is not safe while another thread searches the same index. */
int cfaiss_index_set_ef_search(cfaiss_index *index, int ef_search);
int cfaiss_index_set_nprobe(cfaiss_index *index, int nprobe);
int cfaiss_index_ef_search(const cfaiss_index *index, int *out);
int cfaiss_index_nprobe(const cfaiss_index *index, int *out);

/* Serialises into a buffer the shim allocates; release it with cfaiss_buffer_free. */
int cfaiss_index_serialize(const cfaiss_index *index, uint8_t **out, size_t *size);
void cfaiss_buffer_free(uint8_t *buffer);

/* Reads an index back from bytes written by cfaiss_index_serialize (or FAISS's write_index). */
int cfaiss_index_deserialize(const uint8_t *data, size_t size, cfaiss_index **out);

/* OpenMP threads FAISS may use. OpenMP keeps this per calling thread, so the shim remembers the
 * value and applies it on whichever thread enters the next call. n <= 0 restores the default. */
void cfaiss_set_omp_threads(int n);
int cfaiss_get_omp_threads(void);

#ifdef __cplusplus
}
#endif
#endif
