#ifndef CFAISS_H
#define CFAISS_H
/* C ABI over Debian's libfaiss (C++). Opaque handles, int status codes (0 = ok), and a
 * thread-local last-error string; no C++ type or exception crosses this boundary. */
#ifdef __cplusplus
extern "C" {
#endif

/* Version string of the FAISS library linked in. */
const char *cfaiss_version(void);

#ifdef __cplusplus
}
#endif
#endif
