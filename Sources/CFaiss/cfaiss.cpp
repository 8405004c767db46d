// C ABI over FAISS. Every entry point runs its body through `guarded`, which turns any C++
// exception into a status code plus a thread-local message: nothing C++ escapes to Swift.
#include "cfaiss.h"

#include <faiss/AutoTune.h>
#include <faiss/Index.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIDMap.h>
#include <faiss/IndexIVF.h>
#include <faiss/IndexPreTransform.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/impl/io.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>
#include <omp.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>

#define CFAISS_STR2(x) #x
#define CFAISS_STR(x) CFAISS_STR2(x)

struct cfaiss_index {
    std::unique_ptr<faiss::Index> index;
};

namespace {

thread_local std::string last_error;
// 0 = OpenMP's default, captured before the shim first changes anything.
std::atomic<int> requested_threads{0};

int default_threads() {
    static const int n = omp_get_max_threads();
    return n;
}

void apply_threads() {
    int n = requested_threads.load(std::memory_order_relaxed);
    if (n <= 0) n = default_threads();
    if (omp_get_max_threads() != n) {
        omp_set_num_threads(n);
    }
}

int fail(int status, const char *message) {
    last_error = message;
    return status;
}

template <typename Body>
int guarded(Body body) {
    try {
        last_error.clear();
        apply_threads();
        body();
        return CFAISS_OK;
    } catch (const faiss::FaissException &e) {
        return fail(CFAISS_ERR_FAISS, e.what());
    } catch (const std::bad_alloc &) {
        return fail(CFAISS_ERR_MEMORY, "out of memory");
    } catch (const std::exception &e) {
        return fail(CFAISS_ERR_UNKNOWN, e.what());
    } catch (...) {
        return fail(CFAISS_ERR_UNKNOWN, "unknown C++ exception");
    }
}

// Indexes whose add_with_ids keeps caller ids; the others (Flat, HNSW, ...) need an IndexIDMap.
bool takes_ids(const faiss::Index *index) {
    if (dynamic_cast<const faiss::IndexIVF *>(index) || dynamic_cast<const faiss::IndexIDMap *>(index)) {
        return true;
    }
    if (auto pre = dynamic_cast<const faiss::IndexPreTransform *>(index)) {
        return takes_ids(pre->index);
    }
    return false;
}

// The index that does the searching, beneath id maps and transforms: its type decides which
// SearchParameters subclass FAISS accepts.
const faiss::Index *searching_index(const faiss::Index *index) {
    for (;;) {
        if (auto map = dynamic_cast<const faiss::IndexIDMap *>(index)) {
            index = map->index;
        } else if (auto pre = dynamic_cast<const faiss::IndexPreTransform *>(index)) {
            index = pre->index;
        } else {
            return index;
        }
    }
}

// Per-call parameters seeded from the index's own settings: FAISS's parameter structs carry
// defaults (efSearch 16, nprobe 1) that would otherwise silently override the index's values.
std::unique_ptr<faiss::SearchParameters> make_params(const faiss::Index *index,
                                                     const cfaiss_search_options *options) {
    const faiss::Index *inner = searching_index(index);
    if (auto hnsw = dynamic_cast<const faiss::IndexHNSW *>(inner)) {
        auto p = std::make_unique<faiss::SearchParametersHNSW>();
        p->efSearch = hnsw->hnsw.efSearch;
        p->check_relative_distance = hnsw->hnsw.check_relative_distance;
        return p;
    }
    if (auto ivf = dynamic_cast<const faiss::IndexIVF *>(inner)) {
        auto p = std::make_unique<faiss::SearchParametersIVF>();
        p->nprobe = options->nprobe > 0 ? size_t(options->nprobe) : ivf->nprobe;
        p->max_codes = ivf->max_codes;
        return p;
    }
    return std::make_unique<faiss::SearchParameters>();
}

// Selects every stored vector whose external id is not excluded. `id_map` translates the
// positions an IndexIDMap's inner index sees into external ids (NULL when they are the ids).
struct ExcludedIDs : faiss::IDSelector {
    faiss::IDSelectorBatch excluded;
    const faiss::Index::idx_t *id_map;

    ExcludedIDs(size_t n, const int64_t *ids, const faiss::Index::idx_t *id_map)
        : excluded(n, ids), id_map(id_map) {}

    bool is_member(faiss::Index::idx_t i) const override {
        return !excluded.is_member(id_map ? id_map[i] : i);
    }
};

} // namespace

extern "C" {

const char *cfaiss_version(void) {
    return CFAISS_STR(FAISS_VERSION_MAJOR) "." CFAISS_STR(FAISS_VERSION_MINOR) "." CFAISS_STR(FAISS_VERSION_PATCH);
}

const char *cfaiss_last_error(void) {
    return last_error.c_str();
}

int cfaiss_index_factory(cfaiss_index **out, int d, const char *description, int metric) {
    if (!out || !description || d <= 0) return fail(CFAISS_ERR_ARGUMENT, "index_factory: bad argument");
    if (metric != CFAISS_METRIC_L2 && metric != CFAISS_METRIC_INNER_PRODUCT) {
        return fail(CFAISS_ERR_ARGUMENT, "index_factory: metric must be L2 or inner product");
    }
    *out = nullptr;
    return guarded([&] {
        std::unique_ptr<faiss::Index> index(
            faiss::index_factory(d, description, faiss::MetricType(metric)));
        if (!takes_ids(index.get())) {
            auto map = std::make_unique<faiss::IndexIDMap>(index.get());
            index.release();
            map->own_fields = true;
            index = std::move(map);
        }
        auto handle = std::make_unique<cfaiss_index>();
        handle->index = std::move(index);
        *out = handle.release();
    });
}

void cfaiss_index_free(cfaiss_index *index) {
    delete index;
}

int cfaiss_index_d(const cfaiss_index *index, int *out) {
    if (!index || !out) return fail(CFAISS_ERR_ARGUMENT, "d: NULL argument");
    *out = index->index->d;
    return CFAISS_OK;
}

int cfaiss_index_ntotal(const cfaiss_index *index, int64_t *out) {
    if (!index || !out) return fail(CFAISS_ERR_ARGUMENT, "ntotal: NULL argument");
    *out = index->index->ntotal;
    return CFAISS_OK;
}

int cfaiss_index_is_trained(const cfaiss_index *index, int *out) {
    if (!index || !out) return fail(CFAISS_ERR_ARGUMENT, "is_trained: NULL argument");
    *out = index->index->is_trained ? 1 : 0;
    return CFAISS_OK;
}

int cfaiss_index_metric(const cfaiss_index *index, int *out) {
    if (!index || !out) return fail(CFAISS_ERR_ARGUMENT, "metric: NULL argument");
    *out = int(index->index->metric_type);
    return CFAISS_OK;
}

int cfaiss_index_train(cfaiss_index *index, int64_t n, const float *x) {
    if (!index || n < 0 || (n > 0 && !x)) return fail(CFAISS_ERR_ARGUMENT, "train: bad argument");
    return guarded([&] { index->index->train(n, x); });
}

int cfaiss_index_add_with_ids(cfaiss_index *index, int64_t n, const float *x, const int64_t *ids) {
    if (!index || n < 0 || (n > 0 && (!x || !ids))) return fail(CFAISS_ERR_ARGUMENT, "add_with_ids: bad argument");
    if (n == 0) return CFAISS_OK;
    return guarded([&] { index->index->add_with_ids(n, x, ids); });
}

int cfaiss_index_search(const cfaiss_index *index, int64_t n, const float *x, int64_t k,
                        const cfaiss_search_options *options, float *distances, int64_t *labels) {
    if (!index || n < 0 || k <= 0 || (n > 0 && (!x || !distances || !labels))) {
        return fail(CFAISS_ERR_ARGUMENT, "search: bad argument");
    }
    if (options && options->n_excluded > 0 && !options->excluded_ids) {
        return fail(CFAISS_ERR_ARGUMENT, "search: excluded_ids is NULL");
    }
    if (n == 0) return CFAISS_OK;
    return guarded([&] {
        const faiss::Index *top = index->index.get();
        bool tuned = options && (options->nprobe > 0 || options->n_excluded > 0);
        if (!tuned) {
            top->search(n, x, k, distances, labels);
            return;
        }
        // FAISS 1.7.3's IndexIDMap rejects SearchParameters, so search what it wraps and map the
        // labels back ourselves, exactly as IndexIDMap::search does.
        const faiss::Index *target = top;
        const faiss::Index::idx_t *id_map = nullptr;
        if (auto map = dynamic_cast<const faiss::IndexIDMap *>(top)) {
            target = map->index;
            id_map = map->id_map.data();
        }
        auto params = make_params(target, options);
        std::unique_ptr<ExcludedIDs> keep;
        if (options->n_excluded > 0) {
            keep = std::make_unique<ExcludedIDs>(options->n_excluded, options->excluded_ids, id_map);
            params->sel = keep.get();
        }
        target->search(n, x, k, distances, labels, params.get());
        if (id_map) {
            for (int64_t i = 0; i < n * k; i++) {
                labels[i] = labels[i] < 0 ? -1 : id_map[labels[i]];
            }
        }
    });
}

int cfaiss_index_remove_ids(cfaiss_index *index, const int64_t *ids, size_t n, size_t *removed) {
    if (!index || (n > 0 && !ids)) return fail(CFAISS_ERR_ARGUMENT, "remove_ids: bad argument");
    return guarded([&] {
        faiss::IDSelectorBatch selector(n, ids);
        size_t count = n == 0 ? 0 : index->index->remove_ids(selector);
        if (removed) *removed = count;
    });
}

int cfaiss_index_set_parameter(cfaiss_index *index, const char *name, double value) {
    if (!index || !name) return fail(CFAISS_ERR_ARGUMENT, "set_parameter: NULL argument");
    return guarded([&] {
        faiss::ParameterSpace space;
        space.set_index_parameter(index->index.get(), name, value);
    });
}

int cfaiss_index_set_ef_search(cfaiss_index *index, int ef_search) {
    if (!index || ef_search <= 0) return fail(CFAISS_ERR_ARGUMENT, "set_ef_search: bad argument");
    auto hnsw = dynamic_cast<const faiss::IndexHNSW *>(searching_index(index->index.get()));
    if (!hnsw) return fail(CFAISS_ERR_ARGUMENT, "set_ef_search: not an HNSW index");
    const_cast<faiss::IndexHNSW *>(hnsw)->hnsw.efSearch = ef_search;
    return CFAISS_OK;
}

int cfaiss_index_set_nprobe(cfaiss_index *index, int nprobe) {
    if (!index || nprobe <= 0) return fail(CFAISS_ERR_ARGUMENT, "set_nprobe: bad argument");
    auto ivf = dynamic_cast<const faiss::IndexIVF *>(searching_index(index->index.get()));
    if (!ivf) return fail(CFAISS_ERR_ARGUMENT, "set_nprobe: not an IVF index");
    const_cast<faiss::IndexIVF *>(ivf)->nprobe = size_t(nprobe);
    return CFAISS_OK;
}

int cfaiss_index_ef_search(const cfaiss_index *index, int *out) {
    if (!index || !out) return fail(CFAISS_ERR_ARGUMENT, "ef_search: NULL argument");
    auto hnsw = dynamic_cast<const faiss::IndexHNSW *>(searching_index(index->index.get()));
    if (!hnsw) return fail(CFAISS_ERR_ARGUMENT, "ef_search: not an HNSW index");
    *out = hnsw->hnsw.efSearch;
    return CFAISS_OK;
}

int cfaiss_index_nprobe(const cfaiss_index *index, int *out) {
    if (!index || !out) return fail(CFAISS_ERR_ARGUMENT, "nprobe: NULL argument");
    auto ivf = dynamic_cast<const faiss::IndexIVF *>(searching_index(index->index.get()));
    if (!ivf) return fail(CFAISS_ERR_ARGUMENT, "nprobe: not an IVF index");
    *out = int(ivf->nprobe);
    return CFAISS_OK;
}

int cfaiss_index_serialize(const cfaiss_index *index, uint8_t **out, size_t *size) {
    if (!index || !out || !size) return fail(CFAISS_ERR_ARGUMENT, "serialize: NULL argument");
    *out = nullptr;
    *size = 0;
    return guarded([&] {
        faiss::VectorIOWriter writer;
        faiss::write_index(index->index.get(), &writer);
        auto buffer = static_cast<uint8_t *>(std::malloc(writer.data.empty() ? 1 : writer.data.size()));
        if (!buffer) throw std::bad_alloc();
        std::memcpy(buffer, writer.data.data(), writer.data.size());
        *out = buffer;
        *size = writer.data.size();
    });
}

void cfaiss_buffer_free(uint8_t *buffer) {
    std::free(buffer);
}

int cfaiss_index_deserialize(const uint8_t *data, size_t size, cfaiss_index **out) {
    if (!data || size == 0 || !out) return fail(CFAISS_ERR_ARGUMENT, "deserialize: empty buffer");
    *out = nullptr;
    return guarded([&] {
        faiss::VectorIOReader reader;
        reader.data.assign(data, data + size);
        std::unique_ptr<faiss::Index> index(faiss::read_index(&reader));
        auto handle = std::make_unique<cfaiss_index>();
        handle->index = std::move(index);
        *out = handle.release();
    });
}

void cfaiss_set_omp_threads(int n) {
    default_threads();
    requested_threads.store(n > 0 ? n : 0, std::memory_order_relaxed);
    apply_threads();
}

int cfaiss_get_omp_threads(void) {
    int n = requested_threads.load(std::memory_order_relaxed);
    return n > 0 ? n : default_threads();
}

} // extern "C"
