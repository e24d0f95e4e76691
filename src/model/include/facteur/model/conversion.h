#pragma once

// What a conversion of a model::Invoice into a syntax (formats/ubl write_ubl, formats/cii
// write_cii) returns: the document and, for everything the target syntax cannot carry, a Loss.
// A conversion never drops a value silently: either the value is in the output, where the
// target's reader finds it again, or it is listed here.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace facteur::model {

/// One thing of the source that the written document does not carry as it was (dropped, or
/// carried in a form the target syntax's reader does not read back as the same term).
struct Loss {
    /// Which value: a term occurrence in model::flatten form ("BG-1[2]/BT-21", "BT-7",
    /// "BG-25[3]/BG-29/BT-147"; a term names its sub-terms too: "BG-24[2]/BT-125" covers
    /// BT-125-1 and BT-125-2), a whole group occurrence ("BG-3[2]") or repeated term ("BG-4/BT-29":
    /// every occurrence), or for an element of the
    /// source that no term carries (model::Invoice::unmapped) its source path
    /// ("/Invoice/cac:Delivery/cac:DeliveryParty/cac:PartyLegalEntity").
    std::string term_or_path;
    std::string message;     ///< English, no text from the document
    std::string message_fr;  ///< French
};

/// A written document and what it could not carry.
struct Written {
    std::string xml;           ///< UTF-8, with an XML declaration
    std::vector<Loss> losses;  ///< in document order of the source; empty when nothing was lost
};

/// BT-21 (Invoice note subject code) in UBL, where EN 16931-3-2 gives it no element.
enum class UblNoteSubject : std::uint8_t {
    /// The CEN binding: cbc:Note carries BT-22 only; each BT-21 is a Loss. Default.
    kLoss,
    /// The French convention (FNFE-MPE / AFNOR XP Z12-012): cbc:Note is "#CODE#text". A CEN
    /// reader (facteur's read_ubl included) reads it back as BT-22 "#CODE#text" with no BT-21,
    /// so each BT-21 is still listed as a Loss, whose message says where the code went.
    kFrenchNotePrefix,
};

/// Which UBL document write_ubl produces.
enum class UblDocumentKind : std::uint8_t {
    /// A CreditNote when the model was read from a UBL CreditNote, or from another syntax with
    /// BT-3 one of the UNTDID 1001 credit note codes of the UBL CreditNote (81, 83, 381, 396,
    /// 532); otherwise an Invoice. Default.
    kAuto,
    kInvoice,
    kCreditNote,
};

/// Options of write_ubl and write_cii (RocksDB style: every field has its default here).
struct WriteOptions {
    /// Indent nested elements by 4 spaces, one element per line, as the CEN examples do; false
    /// writes no whitespace between elements. Default: true.
    bool indent = true;
    /// Default: UblNoteSubject::kLoss (the CEN binding). Ignored by write_cii.
    UblNoteSubject ubl_note_subject = UblNoteSubject::kLoss;
    /// Default: UblDocumentKind::kAuto. Ignored by write_cii.
    UblDocumentKind ubl_document = UblDocumentKind::kAuto;
    /// Most bytes of XML a conversion may produce (kResourceExhausted beyond). Default: 64 MiB,
    /// xml::Limits' default document size, so that whatever is written can be read back.
    std::size_t output_bytes_max = 64U * 1024U * 1024U;
};

}  // namespace facteur::model
