#pragma once

#include "facteur/archive/merkle.h"
#include "facteur/core/result.h"
#include "facteur/crypto/sha256.h"

namespace facteur::archive::detail {

/// RFC 9162 §2.1.1 leaf and node hashing over one reused SHA-256 context.
class NodeHasher {
public:
    explicit NodeHasher(crypto::Sha256Hasher hasher) noexcept : hasher_(std::move(hasher)) {}

    [[nodiscard]] core::Result<Hash> leaf(crypto::ByteView entry);
    [[nodiscard]] core::Result<Hash> children(const Hash& left, const Hash& right);

private:
    crypto::Sha256Hasher hasher_;
};

/// This thread's hasher, created on first use (a context per thread: hashing never allocates
/// after the first call). Errors: kInternal (OpenSSL could not create the context).
[[nodiscard]] core::Result<NodeHasher*> thread_hasher();

}  // namespace facteur::archive::detail
