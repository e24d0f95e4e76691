#pragma once

#include <string_view>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/objects.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include "facteur/core/result.h"

#include "openssl_ptr.h"

namespace facteur::crypto::detail {

using X509Ptr = OpensslPtr<X509, X509_free>;
using AsnObjectPtr = OpensslPtr<ASN1_OBJECT, ASN1_OBJECT_free>;
using BignumPtr = OpensslPtr<BIGNUM, BN_free>;
using BioPtr = OpensslPtr<BIO, BIO_free>;
using TsRespPtr = OpensslPtr<TS_RESP, TS_RESP_free>;

/// The first certificate of PEM text. Errors: kInvalidInput (longer than kPemBytesMax, or no
/// PEM certificate; the message names `what`), kInternal.
[[nodiscard]] core::Result<X509Ptr> certificate_from_pem(std::string_view pem,
                                                         std::string_view what);

}  // namespace facteur::crypto::detail
