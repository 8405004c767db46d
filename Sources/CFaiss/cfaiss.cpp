#include "cfaiss.h"
#include <faiss/Index.h>

#define CFAISS_STR2(x) #x
#define CFAISS_STR(x) CFAISS_STR2(x)

extern "C" const char *cfaiss_version(void) {
    return CFAISS_STR(FAISS_VERSION_MAJOR) "." CFAISS_STR(FAISS_VERSION_MINOR) "." CFAISS_STR(FAISS_VERSION_PATCH);
}
