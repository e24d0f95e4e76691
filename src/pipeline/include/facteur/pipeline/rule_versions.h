#pragma once

// Rule sets are versioned objects. Every version compiled into this facteur is listed here with
// its publication date; a validation selects one per layer — by flag (ValidationOptions::
// rule_versions), by date (ValidationOptions::rules_date, or each invoice's issue date BT-2) or,
// by default, the latest — and the verdict records it (LayerResult::version, and a note when
// the choice was not the latest).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/core/result.h"
#include "facteur/model/date.h"

namespace facteur::pipeline {

struct RuleSetVersion {
    std::string_view layer;    ///< "en16931", "extended-ctc-fr", "fr", "cdar", "mentions"
    std::string_view version;  ///< "1.3.16", "fnfe-1.4.0", ...
    model::Date published;     ///< the publisher's release date (the files' "last update")
    std::string_view origin;   ///< who publishes it
};

/// Every rule-set version present, per layer in publication order.
[[nodiscard]] const std::vector<RuleSetVersion>& rule_set_versions();

/// How a version was chosen.
struct RuleSelection {
    const RuleSetVersion* version = nullptr;
    /// The date asked for precedes every version present: the earliest one was applied.
    bool before_first = false;
};

/// The version of `layer` to apply: `forced` when given (kNotFound "RULES-VERSION" when that
/// version is not present), else the latest published on or before `date` when given, else the
/// latest. kNotFound for a layer with no versioned rules.
[[nodiscard]] core::Result<RuleSelection> select_rule_version(std::string_view layer,
                                                              std::optional<model::Date> date,
                                                              std::optional<std::string_view> forced);

}  // namespace facteur::pipeline
