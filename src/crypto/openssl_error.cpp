#include "openssl_error.h"

#include <array>
#include <string>

#include <openssl/err.h>
#include <openssl/evp.h>

namespace facteur::crypto::detail {

tl::unexpected<core::Error> openssl_fail(core::Errc code, std::string_view what) {
    std::string message(what);
    // Bounded: the queue holds at most ERR_NUM_ERRORS (16) entries per thread.
    const char* data = nullptr;
    int flags = 0;
    for (unsigned long err = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags); err != 0;
         err = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) {
        std::array<char, 256> text{};
        ERR_error_string_n(err, text.data(), text.size());
        message += message.size() == what.size() ? ": " : "; ";
        message += text.data();
        // The error's own detail, e.g. the X509 verify error behind "certificate verify error".
        if (data != nullptr && (flags & ERR_TXT_STRING) != 0 && *data != '\0') {
            message += " (";
            message += data;
            message += ')';
        }
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
