#pragma once

#include <memory>

namespace facteur::crypto::detail {

/// Calls an OpenSSL free function (EVP_PKEY_free, X509_free, ...) on destruction.
template <auto Free>
struct OpensslFree {
    template <class T>
    void operator()(T* object) const noexcept {
        Free(object);
    }
};

/// A unique_ptr owning an OpenSSL object, e.g. `OpensslPtr<X509, X509_free>`.
template <class T, auto Free>
using OpensslPtr = std::unique_ptr<T, OpensslFree<Free>>;

}  // namespace facteur::crypto::detail
