// Key layout, stored records, request validation and time arithmetic of the archive.

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "facteur/core/assert.h"
#include "facteur/crypto/encoding.h"
#include "facteur/crypto/sha256.h"
#include "facteur/store/db.h"

#include "archive_impl.h"
#include "record_codec.h"

namespace facteur::archive {

namespace {

using core::Errc;
using detail::RecordReader;
using detail::RecordWriter;

constexpr std::string_view kMetaMagic = "FAM1";
constexpr std::string_view kStatusMagic = "FAS1";
constexpr std::string_view kJournalMagic = "FAJ1";
constexpr std::string_view kHeadMagic = "FAH1";

constexpr std::size_t kTenantCharsMax = 128;
constexpr std::size_t kNumberBytesMax = 200;
constexpr std::size_t kShortFieldBytesMax = 64;
constexpr std::size_t kTextFieldBytesMax = 256;
constexpr std::size_t kAmountDigitsMax = 24;

tl::unexpected<core::Error> invalid(std::string message) {
    return core::fail(Errc::kInvalidInput, "ARCHIVE-REQUEST", std::move(message), {});
}

bool has_control(std::string_view text) noexcept {
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7f;
    });
}

bool is_digits(std::string_view text) noexcept {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// "-?digits(.digits)?" within kAmountDigitsMax characters.
bool is_decimal(std::string_view text) noexcept {
    if (text.size() > kAmountDigitsMax) {
        return false;
    }
    if (text.starts_with('-')) {
        text.remove_prefix(1);
    }
    const std::size_t dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view fraction =
        dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    return !whole.empty() && is_digits(whole) && is_digits(fraction)
           && (dot == std::string_view::npos || !fraction.empty());
}

/// YYYY-MM-DD naming a real calendar day.
bool is_date(std::string_view text) noexcept {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !is_digits(text.substr(0, 4))
        || !is_digits(text.substr(5, 2)) || !is_digits(text.substr(8, 2))) {
        return false;
    }
    const int year = std::stoi(std::string(text.substr(0, 4)));
    const auto month = static_cast<unsigned>(std::stoi(std::string(text.substr(5, 2))));
    const auto day = static_cast<unsigned>(std::stoi(std::string(text.substr(8, 2))));
    return std::chrono::year_month_day{std::chrono::year{year}, std::chrono::month{month},
                                       std::chrono::day{day}}
        .ok();
}

core::Result<void> check_text(std::string_view value, std::string_view name, std::size_t max) {
    if (value.size() > max || has_control(value)) {
        return invalid(std::string(name) + " is longer than " + std::to_string(max)
                       + " bytes or holds a control character");
    }
    return {};
}

core::Result<void> check_amounts(const InvoiceMetadata& invoice) {
    for (const auto& [value, name] :
         {std::pair{&invoice.total_without_vat, "BT-109"}, std::pair{&invoice.total_vat, "BT-110"},
          std::pair{&invoice.total_with_vat, "BT-112"}}) {
        if (!value->empty() && !is_decimal(*value)) {
            return invalid(std::string(name) + " is not a decimal number");
        }
    }
    return {};
}

core::Result<void> check_invoice(const InvoiceMetadata& invoice) {
    if (!is_siren(invoice.seller_siren)) {
        return invalid("seller SIREN (BT-30) must be 9 digits");
    }
    if (!invoice.buyer_siren.empty() && !is_siren(invoice.buyer_siren)) {
        return invalid("buyer SIREN (BT-47) must be 9 digits or empty");
    }
    if (invoice.number.empty()) {
        return invalid("invoice number (BT-1) is empty");
    }
    FACTEUR_TRY(check_text(invoice.number, "invoice number (BT-1)", kNumberBytesMax));
    if (!is_date(invoice.issue_date)) {
        return invalid("issue date (BT-2) must be a YYYY-MM-DD date");
    }
    FACTEUR_TRY(check_text(invoice.type_code, "type code (BT-3)", kShortFieldBytesMax));
    FACTEUR_TRY(check_text(invoice.currency, "currency (BT-5)", kShortFieldBytesMax));
    FACTEUR_TRY(check_text(invoice.syntax, "syntax", kTextFieldBytesMax));
    FACTEUR_TRY(check_text(invoice.profile, "profile (BT-24)", kTextFieldBytesMax));
    return check_amounts(invoice);
}

void write_invoice(RecordWriter& writer, const InvoiceMetadata& invoice) {
    writer.str(invoice.seller_siren)
        .str(invoice.buyer_siren)
        .str(invoice.number)
        .str(invoice.issue_date)
        .str(invoice.type_code)
        .str(invoice.currency)
        .str(invoice.total_without_vat)
        .str(invoice.total_vat)
        .str(invoice.total_with_vat)
        .str(invoice.syntax)
        .str(invoice.profile);
}

core::Result<InvoiceMetadata> read_invoice(RecordReader& reader) {
    InvoiceMetadata invoice;
    for (std::string* field :
         {&invoice.seller_siren, &invoice.buyer_siren, &invoice.number, &invoice.issue_date,
          &invoice.type_code, &invoice.currency, &invoice.total_without_vat, &invoice.total_vat,
          &invoice.total_with_vat, &invoice.syntax, &invoice.profile}) {
        FACTEUR_TRY_ASSIGN(*field, reader.str());
    }
    return invoice;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Keys

std::string subtree_key(NodeId node) {
    FACTEUR_ASSERT(node.level >= 1, "leaves are not cached subtrees");
    if (node.level > kSubtreeTileLevels) {
        std::string key(1, static_cast<char>(node.level));
        key += store::encode_u64_be(node.index);
        return key;
    }
    const unsigned shift = kSubtreeTileLevels - node.level;
    std::string key(1, '\0');
    key += store::encode_u64_be(node.index >> shift);
    key.push_back(static_cast<char>(node.level));
    key.push_back(static_cast<char>(node.index & ((std::uint64_t{1} << shift) - 1)));
    return key;
}

std::string seller_number_key(const InvoiceMetadata& invoice) {
    std::string key = invoice.seller_siren;
    key.push_back('\0');
    key += invoice.number;
    key.push_back('\0');
    key += invoice.issue_date.substr(0, 4);
    return key;
}

std::string date_index_key(std::string_view party, std::string_view date, std::string_view id) {
    std::string key;
    if (!party.empty()) {
        key.append(party).push_back('\0');
    }
    key.append(date).push_back('\0');
    key.append(id);
    return key;
}

// ---------------------------------------------------------------------------------------------
// Records

std::string encode_meta(const ObjectMeta& meta) {
    RecordWriter writer(kMetaMagic);
    writer.str(meta.id)
        .u64(meta.leaf_index)
        .str(meta.tenant)
        .i64(meta.deposited_at_unix_ms)
        .u64(meta.size_bytes)
        .str(meta.hash_algorithm)
        .hash(meta.sha256)
        .i64(meta.retain_until_unix_ms);
    write_invoice(writer, meta.invoice);
    writer.str(meta.verdict_json);
    return writer.take();
}

core::Result<ObjectMeta> decode_meta(std::string_view bytes) {
    RecordReader reader(bytes, kMetaMagic, "metadata");
    ObjectMeta meta;
    FACTEUR_TRY_ASSIGN(meta.id, reader.str());
    FACTEUR_TRY_ASSIGN(meta.leaf_index, reader.u64());
    FACTEUR_TRY_ASSIGN(meta.tenant, reader.str());
    FACTEUR_TRY_ASSIGN(meta.deposited_at_unix_ms, reader.i64());
    FACTEUR_TRY_ASSIGN(meta.size_bytes, reader.u64());
    FACTEUR_TRY_ASSIGN(meta.hash_algorithm, reader.str());
    FACTEUR_TRY_ASSIGN(meta.sha256, reader.hash());
    FACTEUR_TRY_ASSIGN(meta.retain_until_unix_ms, reader.i64());
    FACTEUR_TRY_ASSIGN(meta.invoice, read_invoice(reader));
    FACTEUR_TRY_ASSIGN(meta.verdict_json, reader.str());
    FACTEUR_TRY(reader.finish());
    return meta;
}

std::string encode_status(const ObjectStatus& status) {
    RecordWriter writer(kStatusMagic);
    writer.u8(status.legal_hold ? 1 : 0)
        .u8(status.destroyed_at_unix_ms ? 1 : 0)
        .i64(status.destroyed_at_unix_ms.value_or(0))
        .str(status.destruction_record);
    return writer.take();
}

core::Result<ObjectStatus> decode_status(std::string_view bytes) {
    RecordReader reader(bytes, kStatusMagic, "status");
    ObjectStatus status;
    FACTEUR_TRY_ASSIGN(const std::uint8_t hold, reader.u8());
    FACTEUR_TRY_ASSIGN(const std::uint8_t destroyed, reader.u8());
    FACTEUR_TRY_ASSIGN(const std::int64_t destroyed_at, reader.i64());
    FACTEUR_TRY_ASSIGN(status.destruction_record, reader.str());
    FACTEUR_TRY(reader.finish());
    status.legal_hold = hold != 0;
    if (destroyed != 0) {
        status.destroyed_at_unix_ms = destroyed_at;
    }
    return status;
}

std::string encode_journal(const JournalEntry& entry) {
    RecordWriter writer(kJournalMagic);
    writer.u64(entry.seq)
        .i64(entry.at_unix_ms)
        .str(entry.object_id)
        .u8(static_cast<std::uint8_t>(entry.action))
        .str(entry.actor)
        .str(entry.detail)
        .hash(entry.prev_hash);
    return writer.take();
}

core::Result<JournalEntry> decode_journal(std::string_view bytes) {
    RecordReader reader(bytes, kJournalMagic, "journal");
    JournalEntry entry;
    FACTEUR_TRY_ASSIGN(entry.seq, reader.u64());
    FACTEUR_TRY_ASSIGN(entry.at_unix_ms, reader.i64());
    FACTEUR_TRY_ASSIGN(entry.object_id, reader.str());
    FACTEUR_TRY_ASSIGN(const std::uint8_t action, reader.u8());
    entry.action = static_cast<JournalAction>(action);
    FACTEUR_TRY_ASSIGN(entry.actor, reader.str());
    FACTEUR_TRY_ASSIGN(entry.detail, reader.str());
    FACTEUR_TRY_ASSIGN(entry.prev_hash, reader.hash());
    FACTEUR_TRY(reader.finish());
    FACTEUR_TRY_ASSIGN(entry.hash, crypto::sha256(bytes));
    return entry;
}

std::string encode_head(const CompactTree& tree, const JournalHead& journal) {
    RecordWriter writer(kHeadMagic);
    writer.u64(tree.size()).u64(tree.frontier().size());
    for (const Hash& hash : tree.frontier()) {
        writer.hash(hash);
    }
    writer.u64(journal.next_seq).hash(journal.last_hash);
    return writer.take();
}

core::Result<std::pair<CompactTree, JournalHead>> decode_head(std::string_view bytes) {
    RecordReader reader(bytes, kHeadMagic, "head");
    FACTEUR_TRY_ASSIGN(const std::uint64_t size, reader.u64());
    FACTEUR_TRY_ASSIGN(const std::uint64_t count, reader.u64());
    if (count > 64) {
        return core::fail(Errc::kDataLoss, "stored head record has a frontier of "
                                               + std::to_string(count) + " hashes");
    }
    std::vector<Hash> frontier;
    for (std::uint64_t i = 0; i < count; ++i) {
        FACTEUR_TRY_ASSIGN(Hash hash, reader.hash());
        frontier.push_back(hash);
    }
    JournalHead journal;
    FACTEUR_TRY_ASSIGN(journal.next_seq, reader.u64());
    FACTEUR_TRY_ASSIGN(journal.last_hash, reader.hash());
    FACTEUR_TRY(reader.finish());
    auto tree = CompactTree::from_frontier(size, std::move(frontier));
    if (!tree) {
        return core::fail(Errc::kDataLoss, "stored head record: " + tree.error().message);
    }
    return std::pair{std::move(*tree), journal};
}

// ---------------------------------------------------------------------------------------------
// Validation and time

bool is_siren(std::string_view text) noexcept {
    return text.size() == 9 && is_digits(text);
}

core::Result<void> check_request(const DepositRequest& request, const ArchiveOptions& options) {
    if (request.bytes.empty()) {
        return invalid("the document is empty");
    }
    if (request.bytes.size() > options.document_bytes_max) {
        return core::fail(
            Errc::kResourceExhausted, "ARCHIVE-LIMIT",
            "document larger than " + std::to_string(options.document_bytes_max) + " bytes", {});
    }
    if (request.verdict_json.size() > options.verdict_bytes_max) {
        return core::fail(
            Errc::kResourceExhausted, "ARCHIVE-LIMIT",
            "verdict larger than " + std::to_string(options.verdict_bytes_max) + " bytes", {});
    }
    if (request.tenant.empty() || request.tenant.size() > kTenantCharsMax
        || !std::all_of(request.tenant.begin(), request.tenant.end(),
                        [](char c) { return c >= 0x20 && c < 0x7f; })) {
        return invalid("tenant must be 1-128 printable ASCII characters");
    }
    return check_invoice(request.invoice);
}

core::Result<void> check_filter(const ListFilter& filter) {
    if (!filter.seller_siren.empty() && !is_siren(filter.seller_siren)) {
        return invalid("seller filter is not a SIREN");
    }
    if (!filter.buyer_siren.empty() && !is_siren(filter.buyer_siren)) {
        return invalid("buyer filter is not a SIREN");
    }
    FACTEUR_TRY(check_text(filter.number, "number filter", kNumberBytesMax));
    for (const std::string* date : {&filter.issued_from, &filter.issued_to}) {
        if (!date->empty() && !is_date(*date)) {
            return invalid("date filter must be YYYY-MM-DD");
        }
    }
    return {};
}

core::Result<void> check_id(std::string_view id) {
    if (!is_valid_object_id(id)) {
        return invalid("object id must be 32 lower-case hex digits");
    }
    return {};
}

std::int64_t add_years_unix_ms(std::int64_t unix_ms, std::uint32_t years) {
    using namespace std::chrono;
    const sys_time<milliseconds> time{milliseconds{unix_ms}};
    const sys_days day = floor<days>(time);
    const milliseconds time_of_day = time - day;
    year_month_day date{day};
    date = date + std::chrono::years{static_cast<int>(years)};
    if (!date.ok()) {  // 29 February in a non-leap year
        date = date.year() / date.month() / last;
    }
    return (sys_days{date} + time_of_day).time_since_epoch().count();
}

core::Result<std::string> make_object_id(std::string_view origin, std::uint64_t index,
                                         const Hash& content) {
    std::string input = "facteur/archive/id/v1\n";
    input.append(origin).append("\n").append(std::to_string(index)).append("\n");
    input.append(reinterpret_cast<const char*>(content.data()), content.size());
    FACTEUR_TRY_ASSIGN(const crypto::Sha256Digest digest, crypto::sha256(input));
    return crypto::hex_encode(crypto::ByteView(digest.data(), kObjectIdChars / 2));
}

}  // namespace facteur::archive
