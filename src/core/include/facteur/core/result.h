#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace facteur::core {

/// Why an operation could not be carried out. A finding about an invoice is never an Errc: a
/// non-compliant invoice is a successful answer (house style §1.3).
enum class Errc : std::uint8_t {
    kInvalidInput,       ///< malformed request / XML / PDF: sender's fault, never retried
    kUnsupported,        ///< format, profile or syntax version we do not handle
    kConflict,           ///< duplicate submission (same seller + BT-1 + issue year)
    kNotFound,           ///< the named file, object or schema does not exist
    kUnavailable,        ///< partner or disk temporarily unavailable: retryable
    kResourceExhausted,  ///< a configured limit was hit
    kDataLoss,           ///< archive chain, proof or schema hash mismatch on read
    kInternal,           ///< a bug or an unexpected library failure
};

/// Stable lower-case name of an Errc, e.g. "invalid_input" (used in JSON and logs).
[[nodiscard]] const char* errc_name(Errc code) noexcept;

/// An error: its class, a stable identifier for machines (e.g. "XML-DOCTYPE"), where it happened
/// in the input (line, 1-based; 0 when unknown) and why, in English and in French. Messages carry
/// no personal data from the input beyond element names.
struct Error {
    Errc code = Errc::kInternal;
    std::string message;     ///< English
    std::string id;          ///< stable identifier; may be empty for purely internal errors
    std::string message_fr;  ///< French; empty means "same as message"
    std::uint32_t line = 0;  ///< 1-based line in the input, 0 when unknown

    /// The message in French if `french` and one exists, else the English one.
    [[nodiscard]] const std::string& text(bool french) const noexcept {
        return french && !message_fr.empty() ? message_fr : message;
    }
};

template <class T>
using Result = tl::expected<T, Error>;

/// A failed Result with a plain English message.
[[nodiscard]] inline tl::unexpected<Error> fail(Errc code, std::string message) {
    return tl::unexpected<Error>(Error{code, std::move(message), {}, {}, 0});
}

/// A failed Result with a stable id, both languages and the input line.
[[nodiscard]] inline tl::unexpected<Error> fail(Errc code, std::string id, std::string message_en,
                                                std::string message_fr, std::uint32_t line = 0) {
    return tl::unexpected<Error>(
        Error{code, std::move(message_en), std::move(id), std::move(message_fr), line});
}

}  // namespace facteur::core

#define FACTEUR_CONCAT_INNER_(a, b) a##b
#define FACTEUR_CONCAT_(a, b) FACTEUR_CONCAT_INNER_(a, b)

/// Evaluates `expr` (a Result<T>); on failure returns its error from the enclosing function.
#define FACTEUR_TRY(expr)                                         \
    do {                                                          \
        if (auto facteur_try_r_ = (expr); !facteur_try_r_) {      \
            return tl::unexpected(std::move(facteur_try_r_).error()); \
        }                                                         \
    } while (false)

/// `FACTEUR_TRY_ASSIGN(auto x, f())`: declares/assigns lhs from the Result's value or returns its
/// error from the enclosing function.
#define FACTEUR_TRY_ASSIGN(lhs, expr)                                          \
    auto FACTEUR_CONCAT_(facteur_try_a_, __LINE__) = (expr);                    \
    if (!FACTEUR_CONCAT_(facteur_try_a_, __LINE__)) {                           \
        return tl::unexpected(std::move(FACTEUR_CONCAT_(facteur_try_a_, __LINE__)).error()); \
    }                                                                           \
    lhs = std::move(*FACTEUR_CONCAT_(facteur_try_a_, __LINE__))
