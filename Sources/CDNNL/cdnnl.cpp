// C ABI over oneDNN (see include/cdnnl.h). Every entry point catches every exception.
#include "cdnnl.h"

#include <dnnl.hpp>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

namespace {

thread_local std::string lastError;

int fail(int code, const std::string &message) {
    lastError = message;
    return code;
}

// oneDNN keeps the primitives it compiled (the just-in-time kernels) in a process-wide cache of
// 1024 by default. A motion-gated 1080p video runs MTCNN on rectangles of many sizes, about 170
// P-Net band shapes of 8 primitives each besides R-Net, O-Net and the ResNet, so at 1024 the cache
// evicted kernels that the next frames compiled again (profiled: mprotect, munmap and kernel
// generation, about 5 % of the CPU). Kernels only; set ONEDNN_PRIMITIVE_CACHE_CAPACITY to override.
constexpr int primitiveCacheCapacity = 4096;

dnnl::engine &cpuEngine() {
    static dnnl::engine engine = [] {
        if (!std::getenv("ONEDNN_PRIMITIVE_CACHE_CAPACITY") && !std::getenv("DNNL_PRIMITIVE_CACHE_CAPACITY"))
            dnnl::set_primitive_cache_capacity(primitiveCacheCapacity);
        return dnnl::engine(dnnl::engine::kind::cpu, 0);
    }();
    return engine;
}

// oneDNN runs on the calling thread only: the caller's threads are the one level of parallelism.
// The OpenMP thread count is a per-thread setting, so it is set on every entry.
void singleThreaded() { omp_set_num_threads(1); }

// True when oneDNN fell back to a gemm- or reference-based kernel for the layout it was given.
bool isSlowKernel(const char *impl) {
    return std::strstr(impl, "gemm") != nullptr || std::strstr(impl, "ref") != nullptr;
}

struct Step {
    dnnl::primitive primitive;
    std::unordered_map<int, memory> args;
    memory::desc scratchpad;
    // Instead of a primitive: fill this memory with zeros.
    memory zeroed;
};

// Weights in the layout a kernel reads, shared by every chain that compiles the same layer (one per
// batch size and call in flight would otherwise each hold a copy: the ResNet's 22 MB per chain
// set). Found by the caller's key for the values (see `cdnnl_weights_key`) and the two layouts, so
// a hit never reads the values; an entry lives while a chain holds it.
class WeightsCache {
  public:
    std::shared_ptr<memory> get(uint64_t key, const float *values, const memory::desc &given,
                                const memory::desc &wanted, dnnl::stream &stream) {
        std::lock_guard<std::mutex> lock(mutex);
        for (auto it = entries.begin(); it != entries.end();) {
            auto held = it->shared.lock();
            if (!held) {
                it = entries.erase(it);
                continue;
            }
            if (it->key == key && it->given == given && it->wanted == wanted) return held;
            ++it;
        }
        auto made = std::make_shared<memory>(wanted, cpuEngine());
        memory source(given, cpuEngine(), const_cast<float *>(values));
        dnnl::reorder(source, *made).execute(stream, source, *made);
        stream.wait();
        entries.push_back(Entry{key, given, wanted, made});
        return made;
    }

  private:
    struct Entry {
        uint64_t key;
        memory::desc given, wanted;
        std::weak_ptr<memory> shared;
    };
    std::mutex mutex;
    std::vector<Entry> entries;
};

WeightsCache &weightsCache() {
    static WeightsCache cache;
    return cache;
}

template <typename Body> int guarded(Body body) {
    try {
        return body();
    } catch (const dnnl::error &e) {
        return fail(CDNNL_ERR_DNNL, std::string("oneDNN: ") + e.what());
    } catch (const std::bad_alloc &) {
        return fail(CDNNL_ERR_MEMORY, "out of memory");
    } catch (const std::exception &e) {
        return fail(CDNNL_ERR_UNKNOWN, e.what());
    } catch (...) {
        return fail(CDNNL_ERR_UNKNOWN, "unknown C++ exception");
    }
}

} // namespace

struct cdnnl_chain {
    dnnl::stream stream;
    memory userSrc, userDst;
    std::vector<Step> steps;
    // Intermediate activations and scratchpads live in the caller's workspace, in regions that
    // each hold the largest of their buffers. A step reads activations in one region and writes
    // them to another (or works in place); a residual block's shortcut keeps its region until the
    // block's sum has read it, so activations take turns over three regions. The scratchpad
    // region is the steps' common scratch.
    static constexpr int scratchRegion = 2;
    static constexpr int activationRegions[3] = {0, 1, 3};
    std::vector<std::pair<memory, int>> placed;
    size_t regionBytes[4] = {0, 0, 0, 0};
    size_t offsets[4] = {0, 0, 0, 0};
    // The region of the shortcut a residual will read, or -2.
    int kept = -2;
    size_t workspaceBytes = 0;
    int64_t outDims[4] = {0, 0, 0, 0};
    std::string kernels;
    // Shared weights this chain's convolutions read.
    std::vector<std::shared_ptr<memory>> weights;

    static size_t aligned(size_t bytes) { return (bytes + 63) / 64 * 64; }

    memory place(const memory::desc &md, int region) {
        memory m(md, cpuEngine(), DNNL_MEMORY_NONE);
        placed.push_back({m, region});
        regionBytes[region] = std::max(regionBytes[region], md.get_size());
        return m;
    }
    // Places `md` in the first activation region that is none of `avoid` nor the kept shortcut's.
    memory placeAvoiding(const memory::desc &md, std::initializer_list<int> avoid) {
        for (int r : activationRegions)
            if (r != kept && std::find(avoid.begin(), avoid.end(), r) == avoid.end()) return place(md, r);
        throw std::logic_error("no free activation region");
    }
    // The region a placed memory lives in, or -1 (the caller's input).
    int regionOf(const memory &m) const {
        for (auto &p : placed)
            if (p.first.get() == m.get()) return p.second;
        return -1;
    }
    void layOut() {
        for (int r = 1; r < 4; r++) offsets[r] = offsets[r - 1] + aligned(regionBytes[r - 1]);
        workspaceBytes = offsets[3] + regionBytes[3] + 64;  // and room to align the caller's pointer
    }
};

extern "C" {

uint64_t cdnnl_weights_key(void) {
    static std::atomic<uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
}

const char *cdnnl_version(void) {
    static std::string text = [] {
        const dnnl_version_t *v = dnnl_version();
        return std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
    }();
    return text.c_str();
}

const char *cdnnl_isa(void) {
    switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    default: return "other";
    }
}

const char *cdnnl_last_error(void) { return lastError.c_str(); }

int cdnnl_chain_create(cdnnl_chain **out, const cdnnl_layer *layers, int count, int n, int c, int h, int w) {
    if (!out || !layers || count <= 0 || n <= 0 || c <= 0 || h <= 0 || w <= 0)
        return fail(CDNNL_ERR_ARGUMENT, "cdnnl_chain_create: empty chain or input");
    *out = nullptr;
    return guarded([&] {
        singleThreaded();
        dnnl::engine &engine = cpuEngine();
        auto chain = std::make_unique<cdnnl_chain>();
        chain->stream = dnnl::stream(engine);
        memory::dims cur = {n, c, h, w};
        memory::desc curMd(cur, dt::f32, tag::nchw);
        chain->userSrc = memory(curMd, engine, DNNL_MEMORY_NONE);
        memory curMem = chain->userSrc;

        // Moves the activations into `wanted` when the next primitive reads another layout.
        auto adopt = [&](const memory::desc &wanted) {
            if (wanted == curMd) return;
            memory next = chain->placeAvoiding(wanted, {chain->regionOf(curMem)});
            Step step{dnnl::reorder(curMem, next), {{DNNL_ARG_FROM, curMem}, {DNNL_ARG_TO, next}}, {}};
            chain->steps.push_back(step);
            chain->kernels += "reorder; ";
            curMem = next;
            curMd = wanted;
        };

        // Applies a PReLU (per-channel slopes) or ReLU to the current activations: in place,
        // except on the caller's input, which is only read.
        auto activate = [&](int activation, const float *given, int64_t channels) {
            memory target = curMem.get() == chain->userSrc.get() ? chain->placeAvoiding(curMd, {}) : curMem;
            dnnl::primitive_attr plain;
            plain.set_scratchpad_mode(dnnl::scratchpad_mode::user);
            if (activation == CDNNL_RELU) {
                dnnl::eltwise_forward::desc d(dnnl::prop_kind::forward_inference, dnnl::algorithm::eltwise_relu, curMd,
                                              0.0f, 0.0f);
                dnnl::eltwise_forward::primitive_desc pd(d, plain, engine);
                chain->steps.push_back(Step{dnnl::eltwise_forward(pd), {{DNNL_ARG_SRC, curMem}, {DNNL_ARG_DST, target}},
                                            pd.scratchpad_desc()});
                chain->kernels += std::string("relu ") + pd.impl_info_str() + "; ";
                curMem = target;
                return;
            }
            memory::dims sDims = {1, channels, 1, 1};
            dnnl::prelu_forward::desc d(dnnl::prop_kind::forward_inference, curMd, memory::desc(sDims, dt::f32, tag::any));
            dnnl::prelu_forward::primitive_desc pd(d, plain, engine);
            memory slopesGiven({sDims, dt::f32, tag::nchw}, engine, const_cast<float *>(given));
            memory slopes(pd.weights_desc(), engine);
            dnnl::reorder(slopesGiven, slopes).execute(chain->stream, slopesGiven, slopes);
            chain->steps.push_back(Step{dnnl::prelu_forward(pd),
                                        {{DNNL_ARG_SRC, curMem}, {DNNL_ARG_WEIGHTS, slopes}, {DNNL_ARG_DST, target}},
                                        pd.scratchpad_desc()});
            chain->kernels += std::string("prelu ") + pd.impl_info_str() + "; ";
            curMem = target;
        };

        // The activations a CDNNL_SAVE layer remembered for the next residual.
        struct Saved {
            memory mem;
            memory::desc md;
            memory::dims dims;
        };
        std::unique_ptr<Saved> saved;
        // Whether the last step may write the caller's output directly (it does not read its
        // destination, as a residual sum does).
        bool lastStepRedirectable = false;

        for (int i = 0; i < count; i++) {
            const cdnnl_layer &L = layers[i];
            if (L.kind == CDNNL_SAVE) {
                saved.reset(new Saved{curMem, curMd, cur});
                chain->kept = chain->regionOf(curMem);
                continue;
            }
            lastStepRedirectable = L.kind != CDNNL_CONVOLUTION || L.residual == CDNNL_NO_RESIDUAL;
            if (L.kind == CDNNL_ACTIVATION_LAYER) {
                if ((L.activation != CDNNL_PRELU && L.activation != CDNNL_RELU) || (L.activation == CDNNL_PRELU && !L.slopes))
                    return fail(CDNNL_ERR_ARGUMENT, "layer " + std::to_string(i) + ": activation without slopes");
                activate(L.activation, L.slopes, cur[1]);
                continue;
            }
            if (L.kernel_h <= 0 || L.kernel_w <= 0 || L.stride_h <= 0 || L.stride_w <= 0 || L.pad_top < 0 ||
                L.pad_left < 0 || L.pad_bottom < 0 || L.pad_right < 0)
                return fail(CDNNL_ERR_ARGUMENT, "layer " + std::to_string(i) + ": bad window");
            int64_t oh = (cur[2] + L.pad_top + L.pad_bottom - L.kernel_h) / L.stride_h + 1;
            int64_t ow = (cur[3] + L.pad_left + L.pad_right - L.kernel_w) / L.stride_w + 1;
            if (cur[2] + L.pad_top + L.pad_bottom < L.kernel_h || cur[3] + L.pad_left + L.pad_right < L.kernel_w)
                return fail(CDNNL_ERR_ARGUMENT, "layer " + std::to_string(i) + ": input smaller than the window");
            memory::dims strides = {L.stride_h, L.stride_w}, kernel = {L.kernel_h, L.kernel_w};
            memory::dims padL = {L.pad_top, L.pad_left}, padR = {L.pad_bottom, L.pad_right};
            dnnl::primitive_attr attr;
            attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);

            if (L.kind == CDNNL_CONVOLUTION) {
                if (L.out_channels <= 0 || !L.weights || !L.weights_key || !L.bias || (L.activation == CDNNL_PRELU && !L.slopes))
                    return fail(CDNNL_ERR_ARGUMENT, "layer " + std::to_string(i) + ": convolution without weights");
                memory::dims wDims = {L.out_channels, cur[1], L.kernel_h, L.kernel_w}, bDims = {L.out_channels};
                memory::dims dDims = {cur[0], L.out_channels, oh, ow};
                if (L.residual != CDNNL_NO_RESIDUAL && (!saved || L.activation == CDNNL_PRELU))
                    return fail(CDNNL_ERR_ARGUMENT, "layer " + std::to_string(i) + ": a residual needs a saved shortcut and no PReLU");
                // The shortcut's size (average-pooled first if asked).
                memory::dims sDims;
                const int64_t k = L.residual_pool;
                if (L.residual == CDNNL_POOLED_RESIDUAL) {
                    if (k <= 0 || saved->dims[2] < k || saved->dims[3] < k)
                        return fail(CDNNL_ERR_ARGUMENT, "layer " + std::to_string(i) + ": bad residual pool");
                    sDims = {saved->dims[0], saved->dims[1], (saved->dims[2] - k) / k + 1, (saved->dims[3] - k) / k + 1};
                } else if (L.residual == CDNNL_RESIDUAL) {
                    sDims = saved->dims;
                } else if (L.residual != CDNNL_NO_RESIDUAL) {
                    return fail(CDNNL_ERR_ARGUMENT, "layer " + std::to_string(i) + ": unknown residual");
                }
                // dlib's add_prev: the larger size along every axis, the rest of either side zero.
                memory::dims sumDims = dDims;
                if (L.residual != CDNNL_NO_RESIDUAL) {
                    if (sDims[0] != dDims[0]) return fail(CDNNL_ERR_ARGUMENT, "layer " + std::to_string(i) + ": residual batch");
                    for (int a = 1; a < 4; a++) sumDims[a] = std::max(dDims[a], sDims[a]);
                }
                // The convolution covers only part of the sum: it writes its own buffer, added after.
                const bool partial = sumDims != dDims;
                // oneDNN 2.6 has no fast kernel with a PReLU post-op (it falls back to the
                // reference convolution), so PReLU runs as its own primitive, in place, after it.
                // A residual is added by a sum post-op onto the destination prefilled with it.
                dnnl::post_ops ops;
                if (L.residual != CDNNL_NO_RESIDUAL && !partial) ops.append_sum(1.0f);
                if (L.activation == CDNNL_RELU && !partial) ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
                attr.set_post_ops(ops);
                memory::desc wAny(wDims, dt::f32, tag::any), bMd(bDims, dt::f32, tag::x), dAny(dDims, dt::f32, tag::any);
                auto describe = [&](const memory::desc &src) {
                    dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_inference,
                                                      dnnl::algorithm::convolution_direct, src, wAny, bMd, dAny,
                                                      strides, padL, padR);
                    return dnnl::convolution_forward::primitive_desc(d, attr, engine);
                };
                // Over a few channels (a network's input), read the activations where they are if a
                // fast kernel can. Otherwise let oneDNN choose: its brgemm kernels read channels
                // last and run dlib's ResNet faster than its direct kernels on the 16-channel
                // blocks the first layers leave (the one reorder is worth it).
                memory::desc anyMd(cur, dt::f32, tag::any);
                auto pd = describe(cur[1] > 4 ? anyMd : curMd);
                if (isSlowKernel(pd.impl_info_str())) pd = describe(anyMd);
                adopt(pd.src_desc());
                auto shared = weightsCache().get(L.weights_key, L.weights, memory::desc(wDims, dt::f32, tag::oihw), pd.weights_desc(),
                                                 chain->stream);
                chain->weights.push_back(shared);
                memory weights = *shared;
                memory bias(bMd, engine);
                std::memcpy(bias.get_data_handle(), L.bias, sizeof(float) * L.out_channels);
                memory dst;
                memory::desc dstMd = pd.dst_desc();
                const int in = chain->regionOf(curMem);
                if (L.residual == CDNNL_NO_RESIDUAL) {
                    dst = chain->placeAvoiding(dstMd, {in});
                } else {
                    // The shortcut, pooled where neither the input nor the saved activations are.
                    memory shortcut = saved->mem;
                    memory::desc shortcutMd = saved->md;
                    if (L.residual == CDNNL_POOLED_RESIDUAL) {
                        dnnl::primitive_attr plain;
                        plain.set_scratchpad_mode(dnnl::scratchpad_mode::user);
                        dnnl::pooling_forward::desc d(dnnl::prop_kind::forward_inference, dnnl::algorithm::pooling_avg_include_padding,
                                                      saved->md, memory::desc(sDims, dt::f32, tag::any), {k, k}, {k, k}, {0, 0}, {0, 0});
                        dnnl::pooling_forward::primitive_desc ppd(d, plain, engine);
                        shortcutMd = ppd.dst_desc();
                        shortcut = chain->placeAvoiding(shortcutMd, {in});
                        chain->steps.push_back(Step{dnnl::pooling_forward(ppd), {{DNNL_ARG_SRC, saved->mem}, {DNNL_ARG_DST, shortcut}},
                                                    ppd.scratchpad_desc()});
                        chain->kernels += std::string("avg pool ") + ppd.impl_info_str() + "; ";
                    }
                    const int r = chain->regionOf(shortcut);
                    chain->kept = -2;  // what follows reads the shortcut before anything overwrites it
                    if (L.residual == CDNNL_RESIDUAL && !partial && r >= 0 && r != in &&
                        dstMd == shortcutMd) {
                        // In place: the convolution adds onto the saved activations.
                        dst = shortcut;
                    } else {
                        // Elsewhere, prefilled with the shortcut (zeros where it does not reach).
                        if (partial) dstMd = memory::desc(sumDims, dt::f32, tag::nhwc);
                        dst = chain->placeAvoiding(dstMd, {in, r});
                        const int into = chain->regionOf(dst);
                        if (sDims != sumDims) {
                            Step zero;
                            zero.zeroed = dst;
                            chain->steps.push_back(zero);
                            chain->kernels += "zero; ";
                        }
                        memory part = sDims == sumDims ? dst : chain->place(dstMd.submemory_desc(sDims, {0, 0, 0, 0}), into);
                        chain->steps.push_back(Step{dnnl::reorder(shortcut, part), {{DNNL_ARG_FROM, shortcut}, {DNNL_ARG_TO, part}}, {}});
                        chain->kernels += "reorder; ";
                    }
                }
                memory convDst = partial ? chain->placeAvoiding(pd.dst_desc(), {in, chain->regionOf(dst)}) : dst;
                Step step{dnnl::convolution_forward(pd),
                          {{DNNL_ARG_SRC, curMem}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_BIAS, bias}, {DNNL_ARG_DST, convDst}},
                          pd.scratchpad_desc()};
                chain->steps.push_back(step);
                chain->kernels += std::string("conv ") + pd.impl_info_str() + "; ";
                if (partial) {
                    // The convolution's output onto its corner of the sum (a reorder with a sum
                    // post-op), then the activation over the whole sum.
                    memory corner = chain->place(dstMd.submemory_desc(dDims, {0, 0, 0, 0}), chain->regionOf(dst));
                    dnnl::primitive_attr add;
                    dnnl::post_ops addOps;
                    addOps.append_sum(1.0f);
                    add.set_post_ops(addOps);
                    dnnl::reorder::primitive_desc rpd(engine, pd.dst_desc(), engine, corner.get_desc(), add);
                    chain->steps.push_back(Step{dnnl::reorder(rpd), {{DNNL_ARG_FROM, convDst}, {DNNL_ARG_TO, corner}}, {}});
                    chain->kernels += "reorder sum; ";
                }
                cur = sumDims;
                curMd = dstMd;
                curMem = dst;
                if (partial && L.activation == CDNNL_RELU) activate(CDNNL_RELU, nullptr, sumDims[1]);
                if (L.activation == CDNNL_PRELU) activate(CDNNL_PRELU, L.slopes, L.out_channels);
            } else if (L.kind == CDNNL_MAX_POOL) {
                memory::dims dDims = {cur[0], cur[1], oh, ow};
                dnnl::pooling_forward::desc d(dnnl::prop_kind::forward_inference, dnnl::algorithm::pooling_max, curMd,
                                              memory::desc(dDims, dt::f32, tag::any), strides, kernel, padL, padR);
                dnnl::pooling_forward::primitive_desc pd(d, attr, engine);
                memory dst = chain->placeAvoiding(pd.dst_desc(), {chain->regionOf(curMem)});
                chain->steps.push_back(Step{dnnl::pooling_forward(pd), {{DNNL_ARG_SRC, curMem}, {DNNL_ARG_DST, dst}},
                                            pd.scratchpad_desc()});
                chain->kernels += std::string("pool ") + pd.impl_info_str() + "; ";
                cur = dDims;
                curMd = pd.dst_desc();
                curMem = dst;
            } else {
                return fail(CDNNL_ERR_ARGUMENT, "layer " + std::to_string(i) + ": unknown kind");
            }
        }
        // The result goes to the caller's dense NCHW buffer.
        memory::desc plain(cur, dt::f32, tag::nchw);
        chain->userDst = memory(plain, engine, DNNL_MEMORY_NONE);
        if (curMd == plain && lastStepRedirectable) {
            chain->steps.back().args[DNNL_ARG_DST] = chain->userDst;
        } else {
            Step step{dnnl::reorder(curMem, chain->userDst), {{DNNL_ARG_FROM, curMem}, {DNNL_ARG_TO, chain->userDst}}, {}};
            chain->steps.push_back(step);
            chain->kernels += "reorder";
        }
        // One scratchpad region serves every step (they run one after another).
        for (auto &s : chain->steps)
            if (s.scratchpad.get_size() > 0) s.args[DNNL_ARG_SCRATCHPAD] = chain->place(s.scratchpad, cdnnl_chain::scratchRegion);
        chain->layOut();
        chain->stream.wait();
        for (int k = 0; k < 4; k++) chain->outDims[k] = cur[k];
        *out = chain.release();
        return CDNNL_OK;
    });
}

int cdnnl_chain_output(const cdnnl_chain *chain, int64_t *dims) {
    if (!chain || !dims) return fail(CDNNL_ERR_ARGUMENT, "cdnnl_chain_output: NULL argument");
    for (int k = 0; k < 4; k++) dims[k] = chain->outDims[k];
    return CDNNL_OK;
}

const char *cdnnl_chain_kernels(const cdnnl_chain *chain) { return chain ? chain->kernels.c_str() : ""; }

size_t cdnnl_chain_workspace(const cdnnl_chain *chain) { return chain ? chain->workspaceBytes : 0; }

int cdnnl_chain_run(cdnnl_chain *chain, const float *src, float *dst, void *workspace) {
    if (!chain || !src || !dst || !workspace) return fail(CDNNL_ERR_ARGUMENT, "cdnnl_chain_run: NULL argument");
    return guarded([&] {
        singleThreaded();
        auto base = (reinterpret_cast<uintptr_t>(workspace) + 63) / 64 * 64;
        for (auto &p : chain->placed) p.first.set_data_handle(reinterpret_cast<void *>(base + chain->offsets[p.second]));
        chain->userSrc.set_data_handle(const_cast<float *>(src));
        chain->userDst.set_data_handle(dst);
        for (auto &s : chain->steps) {
            if (s.zeroed)
                std::memset(s.zeroed.get_data_handle(), 0, s.zeroed.get_desc().get_size());
            else
                s.primitive.execute(chain->stream, s.args);
        }
        chain->stream.wait();
        return CDNNL_OK;
    });
}

void cdnnl_chain_free(cdnnl_chain *chain) { delete chain; }

} // extern "C"
