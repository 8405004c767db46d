#ifndef CDNNL_H
#define CDNNL_H
/* C ABI over Debian's oneDNN (libdnnl, C++): a chain of convolutions and max pools compiled once
 * for one input shape and run many times. Opaque handles, int status codes (0 = ok), and a
 * thread-local last-error string; no C++ type or exception crosses this boundary.
 * Every exported symbol starts with `cdnnl_`. */
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes returned by every fallible function. */
#define CDNNL_OK 0
#define CDNNL_ERR_ARGUMENT 1   /* a NULL handle, a bad count or size */
#define CDNNL_ERR_DNNL 2       /* oneDNN refused (message in cdnnl_last_error) */
#define CDNNL_ERR_MEMORY 3     /* allocation failed */
#define CDNNL_ERR_UNKNOWN 4    /* any other C++ exception */

/* Layer kinds. */
#define CDNNL_CONVOLUTION 0
#define CDNNL_MAX_POOL 1
#define CDNNL_ACTIVATION_LAYER 2  /* `activation` (with `slopes`) alone, in place */
#define CDNNL_SAVE 3              /* remembers the current activations as the next residual's shortcut */
/* How a convolution adds the saved shortcut (dlib's add_prev): to its output after the bias and
 * before the activation. The sum has the larger of the two sizes along every axis (channels, rows,
 * columns); the part either side lacks counts as zero. */
#define CDNNL_NO_RESIDUAL 0
#define CDNNL_RESIDUAL 1          /* the saved activations as they are */
#define CDNNL_POOLED_RESIDUAL 2   /* the saved activations average-pooled (residual_pool window,
                                     stride the same, no padding) */

/* Activations applied to a convolution's output after its bias, or by an activation layer. */
#define CDNNL_LINEAR 0
#define CDNNL_PRELU 1          /* per output channel slopes in `slopes` */
#define CDNNL_RELU 2

/* One layer of a chain. Pointers are read during cdnnl_chain_create only (weights are copied
 * into oneDNN's preferred layout, once per weights key). Output size along an axis:
 * (in + pad_before + pad_after - kernel) / stride + 1. A max pool never lets padding win. */
typedef struct cdnnl_layer {
    int kind;
    int out_channels;          /* convolution */
    int kernel_h, kernel_w;
    int stride_h, stride_w;
    int pad_top, pad_left, pad_bottom, pad_right;
    const float *weights;      /* convolution: [out][in][kernel_h][kernel_w] */
    uint64_t weights_key;      /* convolution: nonzero, from cdnnl_weights_key, the same for the
                                  same values: chains of one key share one copy of the weights in
                                  the layout their kernel reads, and `weights` is only read by
                                  the first of them */
    const float *bias;         /* convolution: [out] */
    int activation;            /* convolution: CDNNL_LINEAR, CDNNL_PRELU or CDNNL_RELU;
                                  activation layer: CDNNL_PRELU or CDNNL_RELU */
    const float *slopes;       /* CDNNL_PRELU: one per channel */
    int residual;              /* convolution: CDNNL_NO_RESIDUAL, CDNNL_RESIDUAL or CDNNL_POOLED_RESIDUAL */
    int residual_pool;         /* CDNNL_POOLED_RESIDUAL: the average pool's square window and stride */
} cdnnl_layer;

/* A compiled chain owned by the caller; free it with cdnnl_chain_free. A chain is used by one
 * thread at a time (it owns its stream); its intermediate activations live in a workspace the
 * caller passes to every run, so chains of one thread can share one buffer. oneDNN runs
 * single-threaded on the calling thread: the caller's threads are the one level of parallelism. */
typedef struct cdnnl_chain cdnnl_chain;

/* oneDNN's version ("major.minor.patch") and the CPU instruction set its kernels use. */
const char *cdnnl_version(void);
const char *cdnnl_isa(void);

/* A new key for a set of convolution weights (unique in the process, never 0). */
uint64_t cdnnl_weights_key(void);
/* Message of the last failed call on this thread ("" if none). Valid until the next call on it. */
const char *cdnnl_last_error(void);

/* Compiles `count` layers for an input of n x c x h x w (dense NCHW floats). */
int cdnnl_chain_create(cdnnl_chain **out, const cdnnl_layer *layers, int count,
                       int n, int c, int h, int w);

/* The output's shape (dense NCHW), written to dims[0..3]. */
int cdnnl_chain_output(const cdnnl_chain *chain, int64_t *dims);

/* A short description of the kernels chosen, one per layer ("conv jit:avx512_core; pool ..."). */
const char *cdnnl_chain_kernels(const cdnnl_chain *chain);

/* Bytes of workspace a run needs (any alignment). */
size_t cdnnl_chain_workspace(const cdnnl_chain *chain);

/* Runs the chain: reads the input from `src` and writes the output to `dst` (both dense NCHW),
 * keeping intermediate activations in `workspace` (cdnnl_chain_workspace bytes). */
int cdnnl_chain_run(cdnnl_chain *chain, const float *src, float *dst, void *workspace);

/* Frees a chain; NULL is ignored. */
void cdnnl_chain_free(cdnnl_chain *chain);

#ifdef __cplusplus
}
#endif
#endif
