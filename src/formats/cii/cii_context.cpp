#include "cii_context.h"

namespace facteur::formats::cii {

model::Term<model::Date> Context::date(const Cursor& holder, std::string_view term) {
    if (!holder) {
        return std::nullopt;
    }
    Cursor c = child(holder, kUdtNs, "DateTimeString");
    if (!c) {
        c = child(holder, kUdtNs, "DateString");
    }
    if (!c) {
        c = child(holder, kQdtNs, "DateTimeString");
    }
    if (!c) {
        problem(holder, term, "no DateTimeString or DateString in the date element");
        return model::Value<model::Date>{{}, source(holder), holder.node.text()};
    }
    if (c.node.has_attribute("format") && trimmed_attribute(c, "format") != "102") {
        consume(c);
        problem(c, term, "date format is not 102 (YYYYMMDD)");
        return model::Value<model::Date>{{}, source(c), c.node.text()};
    }
    return date_in(c, term, model::DateFormat::kCompact);
}

}  // namespace facteur::formats::cii
