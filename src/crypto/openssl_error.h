#pragma once

#include <string_view>

#include <tl/expected.hpp>

#include "facteur/core/result.h"

struct evp_md_st;

namespace facteur::crypto::detail {

/// A failed Result whose message is `what` followed by every queued OpenSSL error string (the
/// queue is drained, so a later call does not report stale errors).
[[nodiscard]] tl::unexpected<core::Error> openssl_fail(core::Errc code, std::string_view what);

/// Empties OpenSSL's thread-local error queue (after an expected failure, e.g. a bad signature).
void openssl_clear_errors() noexcept;

/// The SHA-256 implementation, fetched once for the process (OpenSSL 3 explicit fetch: an
/// implicit EVP_sha256() lookup in every init costs a provider query per hash). Null only if
/// the default provider is missing.
[[nodiscard]] const evp_md_st* sha256_md() noexcept;

}  // namespace facteur::crypto::detail
