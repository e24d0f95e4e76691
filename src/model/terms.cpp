#include "facteur/model/terms.h"

#include <array>

namespace facteur::model {

namespace {

using K = TermKind;

// EN 16931-1:2017 §7 (semantic model table), in its order. The scheme sub-terms (BT-xx-1/-2)
// are the "Scheme identifier" and "Scheme version identifier" supplementary components of the
// Identifier data type and the "Mime code" and "Filename" of the Binary object data type, with
// the ids the CEN syntax bindings and validation artefacts give them.
constexpr std::array kTerms = {
    TermInfo{"BT-1", "Invoice number", K::kIdentifier, "1..1", ""},
    TermInfo{"BT-2", "Invoice issue date", K::kDate, "1..1", ""},
    TermInfo{"BT-3", "Invoice type code", K::kCode, "1..1", ""},
    TermInfo{"BT-5", "Invoice currency code", K::kCode, "1..1", ""},
    TermInfo{"BT-6", "VAT accounting currency code", K::kCode, "0..1", ""},
    TermInfo{"BT-7", "Value added tax point date", K::kDate, "0..1", ""},
    TermInfo{"BT-8", "Value added tax point date code", K::kCode, "0..1", ""},
    TermInfo{"BT-9", "Payment due date", K::kDate, "0..1", ""},
    TermInfo{"BT-10", "Buyer reference", K::kText, "0..1", ""},
    TermInfo{"BT-11", "Project reference", K::kDocumentReference, "0..1", ""},
    TermInfo{"BT-12", "Contract reference", K::kDocumentReference, "0..1", ""},
    TermInfo{"BT-13", "Purchase order reference", K::kDocumentReference, "0..1", ""},
    TermInfo{"BT-14", "Sales order reference", K::kDocumentReference, "0..1", ""},
    TermInfo{"BT-15", "Receiving advice reference", K::kDocumentReference, "0..1", ""},
    TermInfo{"BT-16", "Despatch advice reference", K::kDocumentReference, "0..1", ""},
    TermInfo{"BT-17", "Tender or lot reference", K::kDocumentReference, "0..1", ""},
    TermInfo{"BT-18", "Invoiced object identifier", K::kIdentifier, "0..1", ""},
    TermInfo{"BT-18-1", "Invoiced object identifier scheme identifier", K::kIdentifier, "0..1",
             "BT-18"},
    TermInfo{"BT-19", "Buyer accounting reference", K::kText, "0..1", ""},
    TermInfo{"BT-20", "Payment terms", K::kText, "0..1", ""},
    TermInfo{"BG-1", "INVOICE NOTE", K::kGroup, "0..n", ""},
    TermInfo{"BT-21", "Invoice note subject code", K::kCode, "0..1", "BG-1"},
    TermInfo{"BT-22", "Invoice note", K::kText, "1..1", "BG-1"},
    TermInfo{"BG-2", "PROCESS CONTROL", K::kGroup, "1..1", ""},
    TermInfo{"BT-23", "Business process type", K::kText, "0..1", "BG-2"},
    TermInfo{"BT-24", "Specification identifier", K::kIdentifier, "1..1", "BG-2"},
    TermInfo{"BG-3", "PRECEDING INVOICE REFERENCE", K::kGroup, "0..n", ""},
    TermInfo{"BT-25", "Preceding Invoice reference", K::kDocumentReference, "1..1", "BG-3"},
    TermInfo{"BT-26", "Preceding Invoice issue date", K::kDate, "0..1", "BG-3"},
    TermInfo{"BG-4", "SELLER", K::kGroup, "1..1", ""},
    TermInfo{"BT-27", "Seller name", K::kText, "1..1", "BG-4"},
    TermInfo{"BT-28", "Seller trading name", K::kText, "0..1", "BG-4"},
    TermInfo{"BT-29", "Seller identifier", K::kIdentifier, "0..n", "BG-4"},
    TermInfo{"BT-29-1", "Seller identifier scheme identifier", K::kIdentifier, "0..1", "BT-29"},
    TermInfo{"BT-30", "Seller legal registration identifier", K::kIdentifier, "0..1", "BG-4"},
    TermInfo{"BT-30-1", "Seller legal registration identifier scheme identifier", K::kIdentifier,
             "0..1", "BT-30"},
    TermInfo{"BT-31", "Seller VAT identifier", K::kIdentifier, "0..1", "BG-4"},
    TermInfo{"BT-32", "Seller tax registration identifier", K::kIdentifier, "0..1", "BG-4"},
    TermInfo{"BT-33", "Seller additional legal information", K::kText, "0..1", "BG-4"},
    TermInfo{"BT-34", "Seller electronic address", K::kIdentifier, "0..1", "BG-4"},
    TermInfo{"BT-34-1", "Seller electronic address scheme identifier", K::kIdentifier, "1..1",
             "BT-34"},
    TermInfo{"BG-5", "SELLER POSTAL ADDRESS", K::kGroup, "1..1", "BG-4"},
    TermInfo{"BT-35", "Seller address line 1", K::kText, "0..1", "BG-5"},
    TermInfo{"BT-36", "Seller address line 2", K::kText, "0..1", "BG-5"},
    TermInfo{"BT-162", "Seller address line 3", K::kText, "0..1", "BG-5"},
    TermInfo{"BT-37", "Seller city", K::kText, "0..1", "BG-5"},
    TermInfo{"BT-38", "Seller post code", K::kText, "0..1", "BG-5"},
    TermInfo{"BT-39", "Seller country subdivision", K::kText, "0..1", "BG-5"},
    TermInfo{"BT-40", "Seller country code", K::kCode, "1..1", "BG-5"},
    TermInfo{"BG-6", "SELLER CONTACT", K::kGroup, "0..1", "BG-4"},
    TermInfo{"BT-41", "Seller contact point", K::kText, "0..1", "BG-6"},
    TermInfo{"BT-42", "Seller contact telephone number", K::kText, "0..1", "BG-6"},
    TermInfo{"BT-43", "Seller contact email address", K::kText, "0..1", "BG-6"},
    TermInfo{"BG-7", "BUYER", K::kGroup, "1..1", ""},
    TermInfo{"BT-44", "Buyer name", K::kText, "1..1", "BG-7"},
    TermInfo{"BT-45", "Buyer trading name", K::kText, "0..1", "BG-7"},
    TermInfo{"BT-46", "Buyer identifier", K::kIdentifier, "0..1", "BG-7"},
    TermInfo{"BT-46-1", "Buyer identifier scheme identifier", K::kIdentifier, "0..1", "BT-46"},
    TermInfo{"BT-47", "Buyer legal registration identifier", K::kIdentifier, "0..1", "BG-7"},
    TermInfo{"BT-47-1", "Buyer legal registration identifier scheme identifier", K::kIdentifier,
             "0..1", "BT-47"},
    TermInfo{"BT-48", "Buyer VAT identifier", K::kIdentifier, "0..1", "BG-7"},
    TermInfo{"BT-49", "Buyer electronic address", K::kIdentifier, "0..1", "BG-7"},
    TermInfo{"BT-49-1", "Buyer electronic address scheme identifier", K::kIdentifier, "1..1",
             "BT-49"},
    TermInfo{"BG-8", "BUYER POSTAL ADDRESS", K::kGroup, "1..1", "BG-7"},
    TermInfo{"BT-50", "Buyer address line 1", K::kText, "0..1", "BG-8"},
    TermInfo{"BT-51", "Buyer address line 2", K::kText, "0..1", "BG-8"},
    TermInfo{"BT-163", "Buyer address line 3", K::kText, "0..1", "BG-8"},
    TermInfo{"BT-52", "Buyer city", K::kText, "0..1", "BG-8"},
    TermInfo{"BT-53", "Buyer post code", K::kText, "0..1", "BG-8"},
    TermInfo{"BT-54", "Buyer country subdivision", K::kText, "0..1", "BG-8"},
    TermInfo{"BT-55", "Buyer country code", K::kCode, "1..1", "BG-8"},
    TermInfo{"BG-9", "BUYER CONTACT", K::kGroup, "0..1", "BG-7"},
    TermInfo{"BT-56", "Buyer contact point", K::kText, "0..1", "BG-9"},
    TermInfo{"BT-57", "Buyer contact telephone number", K::kText, "0..1", "BG-9"},
    TermInfo{"BT-58", "Buyer contact email address", K::kText, "0..1", "BG-9"},
    TermInfo{"BG-10", "PAYEE", K::kGroup, "0..1", ""},
    TermInfo{"BT-59", "Payee name", K::kText, "1..1", "BG-10"},
    TermInfo{"BT-60", "Payee identifier", K::kIdentifier, "0..1", "BG-10"},
    TermInfo{"BT-60-1", "Payee identifier scheme identifier", K::kIdentifier, "0..1", "BT-60"},
    TermInfo{"BT-61", "Payee legal registration identifier", K::kIdentifier, "0..1", "BG-10"},
    TermInfo{"BT-61-1", "Payee legal registration identifier scheme identifier", K::kIdentifier,
             "0..1", "BT-61"},
    TermInfo{"BG-11", "SELLER TAX REPRESENTATIVE PARTY", K::kGroup, "0..1", ""},
    TermInfo{"BT-62", "Seller tax representative name", K::kText, "1..1", "BG-11"},
    TermInfo{"BT-63", "Seller tax representative VAT identifier", K::kIdentifier, "1..1", "BG-11"},
    TermInfo{"BG-12", "SELLER TAX REPRESENTATIVE POSTAL ADDRESS", K::kGroup, "1..1", "BG-11"},
    TermInfo{"BT-64", "Tax representative address line 1", K::kText, "0..1", "BG-12"},
    TermInfo{"BT-65", "Tax representative address line 2", K::kText, "0..1", "BG-12"},
    TermInfo{"BT-164", "Tax representative address line 3", K::kText, "0..1", "BG-12"},
    TermInfo{"BT-66", "Tax representative city", K::kText, "0..1", "BG-12"},
    TermInfo{"BT-67", "Tax representative post code", K::kText, "0..1", "BG-12"},
    TermInfo{"BT-68", "Tax representative country subdivision", K::kText, "0..1", "BG-12"},
    TermInfo{"BT-69", "Tax representative country code", K::kCode, "1..1", "BG-12"},
    TermInfo{"BG-13", "DELIVERY INFORMATION", K::kGroup, "0..1", ""},
    TermInfo{"BT-70", "Deliver to party name", K::kText, "0..1", "BG-13"},
    TermInfo{"BT-71", "Deliver to location identifier", K::kIdentifier, "0..1", "BG-13"},
    TermInfo{"BT-71-1", "Deliver to location identifier scheme identifier", K::kIdentifier, "0..1",
             "BT-71"},
    TermInfo{"BT-72", "Actual delivery date", K::kDate, "0..1", "BG-13"},
    TermInfo{"BG-14", "INVOICING PERIOD", K::kGroup, "0..1", "BG-13"},
    TermInfo{"BT-73", "Invoicing period start date", K::kDate, "0..1", "BG-14"},
    TermInfo{"BT-74", "Invoicing period end date", K::kDate, "0..1", "BG-14"},
    TermInfo{"BG-15", "DELIVER TO ADDRESS", K::kGroup, "0..1", "BG-13"},
    TermInfo{"BT-75", "Deliver to address line 1", K::kText, "0..1", "BG-15"},
    TermInfo{"BT-76", "Deliver to address line 2", K::kText, "0..1", "BG-15"},
    TermInfo{"BT-165", "Deliver to address line 3", K::kText, "0..1", "BG-15"},
    TermInfo{"BT-77", "Deliver to city", K::kText, "0..1", "BG-15"},
    TermInfo{"BT-78", "Deliver to post code", K::kText, "0..1", "BG-15"},
    TermInfo{"BT-79", "Deliver to country subdivision", K::kText, "0..1", "BG-15"},
    TermInfo{"BT-80", "Deliver to country code", K::kCode, "1..1", "BG-15"},
    TermInfo{"BG-16", "PAYMENT INSTRUCTIONS", K::kGroup, "0..1", ""},
    TermInfo{"BT-81", "Payment means type code", K::kCode, "1..1", "BG-16"},
    TermInfo{"BT-82", "Payment means text", K::kText, "0..1", "BG-16"},
    TermInfo{"BT-83", "Remittance information", K::kText, "0..1", "BG-16"},
    TermInfo{"BG-17", "CREDIT TRANSFER", K::kGroup, "0..n", "BG-16"},
    TermInfo{"BT-84", "Payment account identifier", K::kIdentifier, "1..1", "BG-17"},
    TermInfo{"BT-85", "Payment account name", K::kText, "0..1", "BG-17"},
    TermInfo{"BT-86", "Payment service provider identifier", K::kIdentifier, "0..1", "BG-17"},
    TermInfo{"BG-18", "PAYMENT CARD INFORMATION", K::kGroup, "0..1", "BG-16"},
    TermInfo{"BT-87", "Payment card primary account number", K::kText, "1..1", "BG-18"},
    TermInfo{"BT-88", "Payment card holder name", K::kText, "0..1", "BG-18"},
    TermInfo{"BG-19", "DIRECT DEBIT", K::kGroup, "0..1", "BG-16"},
    TermInfo{"BT-89", "Mandate reference identifier", K::kIdentifier, "0..1", "BG-19"},
    TermInfo{"BT-90", "Bank assigned creditor identifier", K::kIdentifier, "0..1", "BG-19"},
    TermInfo{"BT-91", "Debited account identifier", K::kIdentifier, "0..1", "BG-19"},
    TermInfo{"BG-20", "DOCUMENT LEVEL ALLOWANCES", K::kGroup, "0..n", ""},
    TermInfo{"BT-92", "Document level allowance amount", K::kAmount, "1..1", "BG-20"},
    TermInfo{"BT-93", "Document level allowance base amount", K::kAmount, "0..1", "BG-20"},
    TermInfo{"BT-94", "Document level allowance percentage", K::kPercentage, "0..1", "BG-20"},
    TermInfo{"BT-95", "Document level allowance VAT category code", K::kCode, "1..1", "BG-20"},
    TermInfo{"BT-96", "Document level allowance VAT rate", K::kPercentage, "0..1", "BG-20"},
    TermInfo{"BT-97", "Document level allowance reason", K::kText, "0..1", "BG-20"},
    TermInfo{"BT-98", "Document level allowance reason code", K::kCode, "0..1", "BG-20"},
    TermInfo{"BG-21", "DOCUMENT LEVEL CHARGES", K::kGroup, "0..n", ""},
    TermInfo{"BT-99", "Document level charge amount", K::kAmount, "1..1", "BG-21"},
    TermInfo{"BT-100", "Document level charge base amount", K::kAmount, "0..1", "BG-21"},
    TermInfo{"BT-101", "Document level charge percentage", K::kPercentage, "0..1", "BG-21"},
    TermInfo{"BT-102", "Document level charge VAT category code", K::kCode, "1..1", "BG-21"},
    TermInfo{"BT-103", "Document level charge VAT rate", K::kPercentage, "0..1", "BG-21"},
    TermInfo{"BT-104", "Document level charge reason", K::kText, "0..1", "BG-21"},
    TermInfo{"BT-105", "Document level charge reason code", K::kCode, "0..1", "BG-21"},
    TermInfo{"BG-22", "DOCUMENT TOTALS", K::kGroup, "1..1", ""},
    TermInfo{"BT-106", "Sum of Invoice line net amount", K::kAmount, "1..1", "BG-22"},
    TermInfo{"BT-107", "Sum of allowances on document level", K::kAmount, "0..1", "BG-22"},
    TermInfo{"BT-108", "Sum of charges on document level", K::kAmount, "0..1", "BG-22"},
    TermInfo{"BT-109", "Invoice total amount without VAT", K::kAmount, "1..1", "BG-22"},
    TermInfo{"BT-110", "Invoice total VAT amount", K::kAmount, "0..1", "BG-22"},
    TermInfo{"BT-111", "Invoice total VAT amount in accounting currency", K::kAmount, "0..1",
             "BG-22"},
    TermInfo{"BT-112", "Invoice total amount with VAT", K::kAmount, "1..1", "BG-22"},
    TermInfo{"BT-113", "Paid amount", K::kAmount, "0..1", "BG-22"},
    TermInfo{"BT-114", "Rounding amount", K::kAmount, "0..1", "BG-22"},
    TermInfo{"BT-115", "Amount due for payment", K::kAmount, "1..1", "BG-22"},
    TermInfo{"BG-23", "VAT BREAKDOWN", K::kGroup, "1..n", ""},
    TermInfo{"BT-116", "VAT category taxable amount", K::kAmount, "1..1", "BG-23"},
    TermInfo{"BT-117", "VAT category tax amount", K::kAmount, "1..1", "BG-23"},
    TermInfo{"BT-118", "VAT category code", K::kCode, "1..1", "BG-23"},
    TermInfo{"BT-119", "VAT category rate", K::kPercentage, "0..1", "BG-23"},
    TermInfo{"BT-120", "VAT exemption reason text", K::kText, "0..1", "BG-23"},
    TermInfo{"BT-121", "VAT exemption reason code", K::kCode, "0..1", "BG-23"},
    TermInfo{"BG-24", "ADDITIONAL SUPPORTING DOCUMENTS", K::kGroup, "0..n", ""},
    TermInfo{"BT-122", "Supporting document reference", K::kDocumentReference, "1..1", "BG-24"},
    TermInfo{"BT-123", "Supporting document description", K::kText, "0..1", "BG-24"},
    TermInfo{"BT-124", "External document location", K::kText, "0..1", "BG-24"},
    TermInfo{"BT-125", "Attached document", K::kBinaryObject, "0..1", "BG-24"},
    TermInfo{"BT-125-1", "Attached document Mime code", K::kCode, "1..1", "BT-125"},
    TermInfo{"BT-125-2", "Attached document Filename", K::kText, "1..1", "BT-125"},
    TermInfo{"BG-25", "INVOICE LINE", K::kGroup, "1..n", ""},
    TermInfo{"BT-126", "Invoice line identifier", K::kIdentifier, "1..1", "BG-25"},
    TermInfo{"BT-127", "Invoice line note", K::kText, "0..1", "BG-25"},
    TermInfo{"BT-128", "Invoice line object identifier", K::kIdentifier, "0..1", "BG-25"},
    TermInfo{"BT-128-1", "Invoice line object identifier scheme identifier", K::kIdentifier, "0..1",
             "BT-128"},
    TermInfo{"BT-129", "Invoiced quantity", K::kQuantity, "1..1", "BG-25"},
    TermInfo{"BT-130", "Invoiced quantity unit of measure code", K::kCode, "1..1", "BG-25"},
    TermInfo{"BT-131", "Invoice line net amount", K::kAmount, "1..1", "BG-25"},
    TermInfo{"BT-132", "Referenced purchase order line reference", K::kDocumentReference, "0..1",
             "BG-25"},
    TermInfo{"BT-133", "Invoice line Buyer accounting reference", K::kText, "0..1", "BG-25"},
    TermInfo{"BG-26", "INVOICE LINE PERIOD", K::kGroup, "0..1", "BG-25"},
    TermInfo{"BT-134", "Invoice line period start date", K::kDate, "0..1", "BG-26"},
    TermInfo{"BT-135", "Invoice line period end date", K::kDate, "0..1", "BG-26"},
    TermInfo{"BG-27", "INVOICE LINE ALLOWANCES", K::kGroup, "0..n", "BG-25"},
    TermInfo{"BT-136", "Invoice line allowance amount", K::kAmount, "1..1", "BG-27"},
    TermInfo{"BT-137", "Invoice line allowance base amount", K::kAmount, "0..1", "BG-27"},
    TermInfo{"BT-138", "Invoice line allowance percentage", K::kPercentage, "0..1", "BG-27"},
    TermInfo{"BT-139", "Invoice line allowance reason", K::kText, "0..1", "BG-27"},
    TermInfo{"BT-140", "Invoice line allowance reason code", K::kCode, "0..1", "BG-27"},
    TermInfo{"BG-28", "INVOICE LINE CHARGES", K::kGroup, "0..n", "BG-25"},
    TermInfo{"BT-141", "Invoice line charge amount", K::kAmount, "1..1", "BG-28"},
    TermInfo{"BT-142", "Invoice line charge base amount", K::kAmount, "0..1", "BG-28"},
    TermInfo{"BT-143", "Invoice line charge percentage", K::kPercentage, "0..1", "BG-28"},
    TermInfo{"BT-144", "Invoice line charge reason", K::kText, "0..1", "BG-28"},
    TermInfo{"BT-145", "Invoice line charge reason code", K::kCode, "0..1", "BG-28"},
    TermInfo{"BG-29", "PRICE DETAILS", K::kGroup, "1..1", "BG-25"},
    TermInfo{"BT-146", "Item net price", K::kUnitPriceAmount, "1..1", "BG-29"},
    TermInfo{"BT-147", "Item price discount", K::kUnitPriceAmount, "0..1", "BG-29"},
    TermInfo{"BT-148", "Item gross price", K::kUnitPriceAmount, "0..1", "BG-29"},
    TermInfo{"BT-149", "Item price base quantity", K::kQuantity, "0..1", "BG-29"},
    TermInfo{"BT-150", "Item price base quantity unit of measure code", K::kCode, "0..1", "BG-29"},
    TermInfo{"BG-30", "LINE VAT INFORMATION", K::kGroup, "1..1", "BG-25"},
    TermInfo{"BT-151", "Invoiced item VAT category code", K::kCode, "1..1", "BG-30"},
    TermInfo{"BT-152", "Invoiced item VAT rate", K::kPercentage, "0..1", "BG-30"},
    TermInfo{"BG-31", "ITEM INFORMATION", K::kGroup, "1..1", "BG-25"},
    TermInfo{"BT-153", "Item name", K::kText, "1..1", "BG-31"},
    TermInfo{"BT-154", "Item description", K::kText, "0..1", "BG-31"},
    TermInfo{"BT-155", "Item Seller's identifier", K::kIdentifier, "0..1", "BG-31"},
    TermInfo{"BT-156", "Item Buyer's identifier", K::kIdentifier, "0..1", "BG-31"},
    TermInfo{"BT-157", "Item standard identifier", K::kIdentifier, "0..1", "BG-31"},
    TermInfo{"BT-157-1", "Item standard identifier scheme identifier", K::kIdentifier, "1..1",
             "BT-157"},
    TermInfo{"BT-158", "Item classification identifier", K::kIdentifier, "0..n", "BG-31"},
    TermInfo{"BT-158-1", "Item classification identifier scheme identifier", K::kIdentifier, "1..1",
             "BT-158"},
    TermInfo{"BT-158-2", "Item classification identifier scheme version identifier", K::kIdentifier,
             "0..1", "BT-158"},
    TermInfo{"BT-159", "Item country of origin", K::kCode, "0..1", "BG-31"},
    TermInfo{"BG-32", "ITEM ATTRIBUTES", K::kGroup, "0..n", "BG-31"},
    TermInfo{"BT-160", "Item attribute name", K::kText, "1..1", "BG-32"},
    TermInfo{"BT-161", "Item attribute value", K::kText, "1..1", "BG-32"},
};

}  // namespace

std::span<const TermInfo> terms() noexcept {
    return kTerms;
}

const TermInfo* find_term(std::string_view id) noexcept {
    for (const TermInfo& term : kTerms) {
        if (term.id == id) {
            return &term;
        }
    }
    return nullptr;
}

std::string_view term_kind_name(TermKind kind) noexcept {
    switch (kind) {
        case TermKind::kGroup:
            return "group";
        case TermKind::kText:
            return "text";
        case TermKind::kIdentifier:
            return "identifier";
        case TermKind::kDocumentReference:
            return "document-reference";
        case TermKind::kCode:
            return "code";
        case TermKind::kDate:
            return "date";
        case TermKind::kAmount:
            return "amount";
        case TermKind::kUnitPriceAmount:
            return "unit-price-amount";
        case TermKind::kQuantity:
            return "quantity";
        case TermKind::kPercentage:
            return "percentage";
        case TermKind::kBinaryObject:
            return "binary-object";
    }
    return "text";
}

}  // namespace facteur::model
