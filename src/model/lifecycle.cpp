#include "facteur/model/lifecycle.h"

#include <array>
#include <utility>

namespace facteur::model {

std::optional<StatusName> lifecycle_status_name(std::string_view code) noexcept {
    // XP Z12-014 lifecycle statuses whose names facteur shows; the other codes BR-FR-CDV accepts
    // (215-228, 250, 251, 300-500, 601) are reported by code only.
    static constexpr std::array<std::pair<std::string_view, StatusName>, 16> kNames{{
        {"200", {"Déposée", "Deposited"}},
        {"201", {"Émise par la plateforme", "Issued by the platform"}},
        {"202", {"Reçue par la plateforme", "Received by the platform"}},
        {"203", {"Mise à disposition", "Made available"}},
        {"204", {"Prise en charge", "Taken over"}},
        {"205", {"Approuvée", "Approved"}},
        {"206", {"Approuvée partiellement", "Partly approved"}},
        {"207", {"En litige", "Disputed"}},
        {"208", {"Suspendue", "Suspended"}},
        {"209", {"Complétée", "Completed"}},
        {"210", {"Refusée", "Refused"}},
        {"211", {"Paiement transmis", "Payment sent"}},
        {"212", {"Encaissée", "Collected"}},
        {"213", {"Rejetée", "Rejected"}},
        {"214", {"Visée", "Endorsed"}},
        {"501", {"Irrecevable", "Inadmissible"}},
    }};
    for (const auto& [c, name] : kNames) {
        if (c == code) {
            return name;
        }
    }
    return std::nullopt;
}

}  // namespace facteur::model
