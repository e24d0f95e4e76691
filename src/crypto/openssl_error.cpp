#include "openssl_error.h"

#include <array>
#include <string>

#include <openssl/err.h>
#include <openssl/evp.h>

namespace facteur::crypto::detail {

tl::unexpected<core::Error> openssl_fail(core::Errc code, std::string_view what) {
    std::string message(what);
    // Bounded: the queue holds at most ERR_NUM_ERRORS (16) entries per thread.
    for (unsigned long err = ERR_get_error(); err != 0; err = ERR_get_error()) {
        std::array<char, 256> text{};
        ERR_error_string_n(err, text.data(), text.size());
        message += message.size() == what.size() ? ": " : "; ";
        message += text.data();
    }
    return core::fail(code, std::move(message));
}

void openssl_clear_errors() noexcept {
    ERR_clear_error();
}

const evp_md_st* sha256_md() noexcept {
    // Fetched once and kept for the life of the process (never freed: a function-local static
    // outliving every hasher, still reachable at exit).
    static const EVP_MD* const kMd = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
    return kMd;
}

}  // namespace facteur::crypto::detail
