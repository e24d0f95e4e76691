#include "facteur/core/assert.h"

#include <cstdio>
#include <cstdlib>

#include "facteur/core/result.h"

namespace facteur::core {

void assert_fail(const char* file, int line, const char* condition, const char* why) noexcept {
    std::fprintf(stderr, "facteur: assertion failed at %s:%d: %s (%s)\n", file, line, condition,
                 why);
    std::abort();
}

const char* errc_name(Errc code) noexcept {
    switch (code) {
        case Errc::kInvalidInput: return "invalid_input";
        case Errc::kUnsupported: return "unsupported";
        case Errc::kConflict: return "conflict";
        case Errc::kNotFound: return "not_found";
        case Errc::kUnavailable: return "unavailable";
        case Errc::kResourceExhausted: return "resource_exhausted";
        case Errc::kDataLoss: return "data_loss";
        case Errc::kInternal: return "internal";
    }
    return "internal";
}

}  // namespace facteur::core
