#pragma once

// CDAR D22B lifecycle messages (CrossDomainAcknowledgementAndResponse, Flux 6) into
// model::LifecycleMessage. Never throws: unreadable values keep their text with a problem.

#include "facteur/core/result.h"
#include "facteur/model/lifecycle.h"
#include "facteur/xml/document.h"

namespace facteur::formats::cdar {

/// kInvalidInput (id CDAR-ROOT) when the root element is not a CDAR message.
[[nodiscard]] core::Result<model::LifecycleMessage> read_cdar(const xml::Document& doc);

}  // namespace facteur::formats::cdar
