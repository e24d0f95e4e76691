// The qpdf adapter: the only file of facteur that includes qpdf (house style §1.2). Every qpdf
// exception stops here and becomes a finding. Compiled as C++17 in the libFuzzer build, so it
// sticks to C++17 (no designated initialisers, no std::span).
#include "pdf_inspect.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <string>

#include <qpdf/Constants.h>
#include <qpdf/Pipeline.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFEFStreamObjectHelper.hh>
#include <qpdf/QPDFEmbeddedFileDocumentHelper.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFFileSpecObjectHelper.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include "finding.h"

namespace facteur::formats::facturx {

namespace {

/// Thrown by LimitPipeline when a stream decodes past its limit; caught in this file only. qpdf
/// may swallow it (it turns pipeline exceptions into warnings), so the pipeline's own flag is
/// what is checked afterwards.
struct LimitExceeded {};

/// Counts (and optionally keeps) decoded bytes, and stops the decoding past `max_bytes`.
class LimitPipeline final : public Pipeline {
public:
    LimitPipeline(std::size_t max_bytes, std::string* keep)
        : Pipeline("facteur-limit", nullptr), max_bytes_(max_bytes), keep_(keep) {}

    void write(unsigned char const* data, size_t len) override {
        if (exceeded_ || len > max_bytes_ - size_) {
            exceeded_ = true;
            throw LimitExceeded{};
        }
        size_ += len;
        if (keep_ != nullptr) {
            keep_->append(reinterpret_cast<const char*>(data), len);
        }
    }

    void finish() override {}

    [[nodiscard]] bool exceeded() const noexcept { return exceeded_; }

private:
    std::size_t max_bytes_;
    std::string* keep_;
    std::size_t size_ = 0;
    bool exceeded_ = false;
};

enum class Decoded { kOk, kTooLarge, kFailed };

/// Decodes `stream` (generalized filters: Flate, LZW, ASCII85, ASCIIHex, RunLength) into `out`
/// (nullptr: count only), stopping past `max_bytes`.
Decoded decode(QPDFObjectHandle stream, std::size_t max_bytes, std::string* out) {
    LimitPipeline limiter(max_bytes, out);
    bool filtered = false;
    bool ok = false;
    try {
        ok = stream.pipeStreamData(&limiter, &filtered, 0, qpdf_dl_generalized,
                                   /*suppress_warnings=*/true, /*will_retry=*/false);
    } catch (const LimitExceeded&) {
        return Decoded::kTooLarge;
    }
    if (limiter.exceeded()) {
        return Decoded::kTooLarge;
    }
    // Unfiltered data of a filtered stream (an unsupported filter) is not the file.
    return ok && filtered ? Decoded::kOk : Decoded::kFailed;
}

std::string location_of(QPDFObjGen og) {
    return og.getObj() == 0
               ? std::string("trailer")
               : "object " + std::to_string(og.getObj()) + " " + std::to_string(og.getGen());
}

std::string name_value(QPDFObjectHandle dict, const std::string& key) {
    QPDFObjectHandle v = dict.getKey(key);
    return v.isName() ? v.getName() : std::string();
}

/// The name `v` holds, or "" (what name_value() gives for a key with that value).
std::string name_of(QPDFObjectHandle& v) {
    return v.isName() ? v.getName() : std::string();
}

/// Collects findings, each id once (the first location), so a file with a thousand JavaScript
/// actions gives one FX-PDF-30, not a thousand.
class Reporter {
public:
    explicit Reporter(std::vector<model::Finding>& out) : out_(out) {}

    void report(const char* id, std::string detail = {}, std::string location = {}) {
        if (seen_.insert(id).second) {
            out_.push_back(make_finding(id, detail, std::move(location)));
        }
    }

private:
    std::vector<model::Finding>& out_;
    std::set<std::string> seen_;
};

bool is_one_of(const std::string& value, std::initializer_list<const char*> names) {
    return std::any_of(names.begin(), names.end(), [&](const char* name) { return value == name; });
}

// ISO 19005-3 6.6.1 (forbidden actions) and 6.3.1 (forbidden annotations), plus SubmitForm.
bool is_forbidden_action(const std::string& action) {
    return is_one_of(
        action, {"/SubmitForm", "/ImportData", "/ResetForm", "/Hide", "/SetOCGState", "/Rendition",
                 "/Trans", "/GoTo3DView", "/Movie", "/Sound", "/RichMediaExecute"});
}

bool is_forbidden_annotation(const std::string& subtype) {
    return is_one_of(subtype, {"/RichMedia", "/Movie", "/Sound", "/Screen", "/3D"});
}

/// One dictionary's entries, copied once (qpdf 11.3 has no cheaper way to iterate them: its
/// getKeys() and ditems() build a std::set of the keys per call, and ditems() calls it twice).
using Entries = std::map<std::string, QPDFObjectHandle>;

/// True when the entry counts as present, as QPDFObjectHandle::getKeys() decides it: a null
/// value (direct, or an indirect one that resolves to null or to nothing) is an absent key.
/// Resolves an indirect value, as getKeys() does.
bool present(Entries::value_type& entry) {
    return !entry.second.isNull();
}

/// Resolves every value in key order, as getKeys() does, and drops the absent ones. The order
/// in which qpdf resolves objects decides which of its warnings comes first (FX-PDF-05's
/// message), and a value that cannot be resolved throws here, before anything is reported.
void keep_present(Entries& entries) {
    for (auto it = entries.begin(); it != entries.end();) {
        it = present(*it) ? std::next(it) : entries.erase(it);
    }
}

/// Flags what one dictionary (its present entries) says about active content. `owner` locates
/// the findings.
void inspect_dictionary(Entries& entries, QPDFObjGen owner, Reporter& reporter) {
    std::string action;
    std::string subtype;
    for (Entries::value_type& entry : entries) {
        const std::string& key = entry.first;
        if (key == "/JS" || key == "/JavaScript") {
            reporter.report("FX-PDF-30", key, location_of(owner));
        } else if (key == "/AA") {
            reporter.report("FX-PDF-33", {}, location_of(owner));
        } else if (key == "/XFA") {
            reporter.report("FX-PDF-34", "/XFA", location_of(owner));
        } else if (key == "/S") {
            action = name_of(entry.second);
        } else if (key == "/Subtype") {
            subtype = name_of(entry.second);
        }
    }
    if (action == "/JavaScript") {
        reporter.report("FX-PDF-30", action, location_of(owner));
    } else if (action == "/Launch") {
        reporter.report("FX-PDF-31", {}, location_of(owner));
    } else if (is_forbidden_action(action)) {
        reporter.report("FX-PDF-34", action, location_of(owner));
    }
    if (is_forbidden_annotation(subtype)) {
        reporter.report("FX-PDF-34", subtype, location_of(owner));
    }
}

/// True (and reported) when the catalog's /OpenAction is an action other than navigation. Such
/// an action is not walked further: FX-PDF-32 says it all.
bool open_action_is_active(QPDFObjectHandle value, QPDFObjGen owner, Reporter& reporter) {
    if (!value.isDictionary()) {
        return false;  // a destination array: navigation
    }
    const std::string action = name_value(value, "/S");
    if (action.empty() || action == "/GoTo" || action == "/Named") {
        return false;
    }
    reporter.report("FX-PDF-32", action, location_of(owner));
    return true;
}

struct WalkItem {
    QPDFObjectHandle handle;
    std::uint32_t depth;
    QPDFObjGen owner;  ///< nearest indirect object, for the finding's location
};

/// Breadth-first walk of everything reachable from the trailer, without recursion; each
/// indirect object is visited once, so reference cycles end.
void walk_objects(QPDF& qpdf, const Options& options, Reporter& reporter) {
    std::deque<WalkItem> queue;
    std::set<QPDFObjGen> seen;
    queue.push_back(WalkItem{qpdf.getTrailer(), 0, QPDFObjGen()});
    std::uint32_t values = 0;
    while (!queue.empty()) {
        WalkItem item = std::move(queue.front());
        queue.pop_front();
        if (++values > options.walk_value_count_max) {
            reporter.report("FX-PDF-09", "more than " + std::to_string(options.walk_value_count_max)
                                             + " values (walk_value_count_max)");
            return;
        }
        QPDFObjectHandle h = std::move(item.handle);
        if (h.isIndirect()) {
            if (!seen.insert(h.getObjGen()).second) {
                continue;
            }
            item.owner = h.getObjGen();
        }
        if (item.depth > options.depth_max) {
            reporter.report(
                "FX-PDF-09",
                "nesting deeper than " + std::to_string(options.depth_max) + " (depth_max)",
                location_of(item.owner));
            return;
        }
        if (h.isStream()) {
            h = h.getDict();
        }
        const auto push = [&](QPDFObjectHandle& child) {
            // A direct value's type is read without resolving anything; an indirect one is
            // resolved when its turn comes.
            if (child.isIndirect()) {
                queue.push_back(WalkItem{std::move(child), item.depth + 1, item.owner});
                return;
            }
            const qpdf_object_type_e type = child.getTypeCode();
            if (type == ::ot_array || type == ::ot_dictionary) {
                queue.push_back(WalkItem{std::move(child), item.depth + 1, item.owner});
            }
        };
        if (h.isArray()) {
            // One copy of the items: qpdf 11's array iterator looks every item up again.
            for (QPDFObjectHandle& child : h.getArrayAsVector()) {
                push(child);
            }
            continue;
        }
        if (!h.isDictionary()) {
            continue;
        }
        Entries entries = h.getDictAsMap();
        keep_present(entries);
        inspect_dictionary(entries, item.owner, reporter);
        for (Entries::value_type& entry : entries) {
            // present() again, as the getKeys() of the ditems() loop this replaces did (the
            // values are resolved by now: this only reads their type).
            if (!present(entry)
                || (entry.first == "/OpenAction"
                    && open_action_is_active(entry.second, item.owner, reporter))) {
                continue;
            }
            push(entry.second);
        }
    }
}

/// Object streams are decoded by qpdf into memory on its own; check their decoded size first
/// (raw_scan() caught Flate bombs, this also bounds other filter chains).
void check_object_streams(QPDF& qpdf, const std::map<QPDFObjGen, QPDFXRefEntry>& xref,
                          const Options& options, Reporter& reporter) {
    std::set<int> streams;
    for (const auto& entry : xref) {
        if (entry.second.getType() == 2) {
            streams.insert(entry.second.getObjStreamNumber());
        }
    }
    for (const int number : streams) {
        QPDFObjectHandle stream = qpdf.getObjectByID(number, 0);
        if (stream.isStream()
            && decode(stream, options.stream_decoded_bytes_max, nullptr) == Decoded::kTooLarge) {
            reporter.report("FX-PDF-08", "object stream", location_of(stream.getObjGen()));
            return;
        }
    }
}

bool is_invoice_name(const std::string& name) {
    const std::vector<std::string_view>& names = invoice_attachment_names();
    return std::find(names.begin(), names.end(), name) != names.end();
}

/// One file specification of the document, with what the checks need.
struct FileSpec {
    QPDFObjectHandle handle;
    EmbeddedFile file;
};

bool listed_in_af(QPDFObjectHandle spec, const std::string& name, QPDFObjectHandle af) {
    if (!af.isArray()) {
        return false;
    }
    for (QPDFObjectHandle item : af.aitems()) {
        if (spec.isIndirect() && item.isIndirect() && item.getObjGen() == spec.getObjGen()) {
            return true;
        }
        if (!spec.isIndirect() && item.isDictionary()
            && QPDFFileSpecObjectHelper(item).getFilename() == name) {
            return true;
        }
    }
    return false;
}

FileSpec file_spec(QPDFObjectHandle spec, const std::string& key, QPDFObjectHandle af,
                   bool in_name_tree) {
    FileSpec out{spec, EmbeddedFile{}};
    QPDFFileSpecObjectHelper helper(spec);
    out.file.name = helper.getFilename();
    if (out.file.name.empty()) {
        out.file.name = key;
    }
    const std::string relationship = name_value(spec, "/AFRelationship");
    out.file.relationship = relationship.empty() ? relationship : relationship.substr(1);
    QPDFObjectHandle stream = helper.getEmbeddedFileStream();
    if (stream.isStream()) {
        out.file.subtype = QPDFEFStreamObjectHelper(stream).getSubtype();
    }
    out.file.in_af = listed_in_af(spec, out.file.name, af);
    out.file.in_name_tree = in_name_tree;
    return out;
}

/// Every file specification: the EmbeddedFiles name tree, then /AF entries not in it.
bool collect_files(QPDF& qpdf, const Options& options, std::vector<FileSpec>& files,
                   Reporter& reporter) {
    QPDFObjectHandle af = qpdf.getRoot().getKey("/AF");
    const std::size_t af_count = af.isArray() ? static_cast<std::size_t>(af.getArrayNItems()) : 0;
    QPDFEmbeddedFileDocumentHelper helper(qpdf);
    const auto named = helper.getEmbeddedFiles();
    if (named.size() + af_count > options.embedded_file_count_max) {
        reporter.report("FX-PDF-09", "more than " + std::to_string(options.embedded_file_count_max)
                                         + " embedded files (embedded_file_count_max)");
        return false;
    }
    // Listed specs and their embedded file streams: an /AF entry that is another file
    // specification of a stream already listed is the same attachment, not a second one (the
    // name-tree spec then is not in /AF: FX-PDF-13).
    std::set<QPDFObjGen> listed;
    const auto remember = [&](QPDFObjectHandle spec) {
        QPDFObjectHandle stream = QPDFFileSpecObjectHelper(spec).getEmbeddedFileStream();
        for (QPDFObjectHandle h : {spec, stream}) {
            if (h.isIndirect()) {
                listed.insert(h.getObjGen());
            }
        }
    };
    const auto is_listed = [&](QPDFObjectHandle spec) {
        QPDFObjectHandle stream = QPDFFileSpecObjectHelper(spec).getEmbeddedFileStream();
        return (spec.isIndirect() && listed.count(spec.getObjGen()) != 0)
               || (stream.isIndirect() && listed.count(stream.getObjGen()) != 0);
    };
    for (const auto& entry : named) {
        QPDFObjectHandle spec = entry.second->getObjectHandle();
        remember(spec);
        files.push_back(file_spec(spec, entry.first, af, true));
    }
    for (int i = 0; i < static_cast<int>(af_count); ++i) {
        QPDFObjectHandle spec = af.getArrayItem(i);
        if (spec.isDictionary() && !is_listed(spec)) {
            remember(spec);
            files.push_back(file_spec(spec, std::string(), af, false));
        }
    }
    return true;
}

void extract_invoice(const std::vector<FileSpec>& files, const Options& options, PdfFacts& facts,
                     Reporter& reporter) {
    for (std::size_t i = 0; i < files.size(); ++i) {
        facts.files.push_back(files[i].file);
        if (is_invoice_name(files[i].file.name)) {
            facts.invoice_files.push_back(i);
        }
    }
    if (facts.invoice_files.size() != 1) {
        return;  // none or several: the caller reports FX-PDF-10 / FX-PDF-11
    }
    const FileSpec& invoice = files[facts.invoice_files.front()];
    QPDFObjectHandle stream = QPDFFileSpecObjectHelper(invoice.handle).getEmbeddedFileStream();
    const std::string where =
        invoice.handle.isIndirect() ? location_of(invoice.handle.getObjGen()) : std::string();
    if (!stream.isStream()) {
        reporter.report("FX-PDF-16", "no /EF stream", where);
        return;
    }
    switch (decode(stream, options.invoice_xml_bytes_max, &facts.invoice_xml)) {
        case Decoded::kOk:
            facts.invoice_decoded = true;
            return;
        case Decoded::kTooLarge:
            facts.invoice_xml.clear();
            reporter.report("FX-PDF-08",
                            "invoice XML over " + std::to_string(options.invoice_xml_bytes_max)
                                + " bytes (invoice_xml_bytes_max)",
                            where);
            return;
        case Decoded::kFailed:
            facts.invoice_xml.clear();
            reporter.report("FX-PDF-16", "cannot be decoded", where);
            return;
    }
}

void read_metadata(QPDF& qpdf, const Options& options, PdfFacts& facts, Reporter& reporter) {
    QPDFObjectHandle metadata = qpdf.getRoot().getKey("/Metadata");
    if (!metadata.isStream()) {
        return;
    }
    facts.has_metadata = true;
    std::string packet;
    switch (decode(metadata, options.xmp_bytes_max, &packet)) {
        case Decoded::kOk:
            facts.xmp = std::move(packet);
            return;
        case Decoded::kTooLarge:
            reporter.report("FX-PDF-21", "over " + std::to_string(options.xmp_bytes_max)
                                             + " bytes (xmp_bytes_max)");
            return;
        case Decoded::kFailed:
            reporter.report("FX-PDF-21", "cannot be decoded");
            return;
    }
}

/// Runs one step; a qpdf failure inside it (a damaged object) becomes FX-PDF-05 and the next
/// step still runs. Memory exhaustion is passed on.
void guarded(Reporter& reporter, const std::function<void()>& step) {
    try {
        step();
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const LimitExceeded&) {
        reporter.report("FX-PDF-08");
    } catch (const std::exception& e) {
        reporter.report("FX-PDF-05", e.what());
    }
}

void inspect_opened(QPDF& qpdf, const Options& options, PdfFacts& facts, Reporter& reporter) {
    if (qpdf.isEncrypted()) {
        reporter.report("FX-PDF-06");
        return;
    }
    const std::map<QPDFObjGen, QPDFXRefEntry> xref = qpdf.getXRefTable();
    if (xref.size() > options.object_count_max) {
        reporter.report("FX-PDF-09", std::to_string(xref.size()) + " objects, limit "
                                         + std::to_string(options.object_count_max)
                                         + " (object_count_max)");
        return;
    }
    bool bomb = false;
    guarded(reporter, [&] {
        check_object_streams(qpdf, xref, options, reporter);
        bomb = std::any_of(facts.findings.begin(), facts.findings.end(),
                           [](const model::Finding& f) { return f.rule == "FX-PDF-08"; });
    });
    if (bomb) {
        return;
    }
    facts.opened = true;
    guarded(reporter, [&] { walk_objects(qpdf, options, reporter); });
    guarded(reporter, [&] {
        std::vector<FileSpec> files;
        if (collect_files(qpdf, options, files, reporter)) {
            extract_invoice(files, options, facts, reporter);
        }
    });
    guarded(reporter, [&] { read_metadata(qpdf, options, facts, reporter); });
}

void report_warnings(QPDF& qpdf, Reporter& reporter) {
    const std::vector<QPDFExc> warnings = qpdf.getWarnings();
    if (!warnings.empty()) {
        reporter.report("FX-PDF-05", std::to_string(warnings.size())
                                         + " problem(s), first: " + warnings.front().what());
    }
}

}  // namespace

core::Result<PdfFacts> inspect_pdf(std::string_view pdf, const Options& options) {
    PdfFacts facts;
    Reporter reporter(facts.findings);
    try {
        QPDF qpdf;
        qpdf.setSuppressWarnings(true);
        qpdf.setAttemptRecovery(true);
        try {
            qpdf.processMemoryFile("input.pdf", pdf.data(), pdf.size());
        } catch (const QPDFExc& e) {
            if (e.getErrorCode() == qpdf_e_password) {
                reporter.report("FX-PDF-06", "a password is required");
            } else {
                reporter.report("FX-PDF-04", e.getMessageDetail());
            }
            return facts;
        } catch (const std::bad_alloc&) {
            throw;
        } catch (const std::exception& e) {
            reporter.report("FX-PDF-04", e.what());
            return facts;
        }
        guarded(reporter, [&] { inspect_opened(qpdf, options, facts, reporter); });
        report_warnings(qpdf, reporter);
    } catch (const std::bad_alloc&) {
        return core::fail(core::Errc::kResourceExhausted, "out of memory reading the PDF");
    } catch (const LimitExceeded&) {
        return core::fail(core::Errc::kInternal, "a stream limit escaped its check");
    } catch (const std::exception& e) {
        return core::fail(core::Errc::kInternal, std::string("qpdf: ") + e.what());
    }
    return facts;
}

}  // namespace facteur::formats::facturx
