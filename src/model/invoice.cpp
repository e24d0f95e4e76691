#include "facteur/model/invoice.h"

#include <array>
#include <utility>

namespace facteur::model {

namespace {

// Decimal text without trailing fractional zeros, so that equal numbers compare equal as text.
std::string canonical(Decimal d) {
    while (d.scale > 0 && d.units % 10 == 0) {
        d.units /= 10;
        --d.scale;
    }
    return d.to_string();
}

std::string canonical(const std::string& s) {
    return s;
}

std::string canonical(const Date& d) {
    return d.to_string();
}

// The term ids of one use of a shared group shape (PostalAddress, Contact, ...), in member order.
using AddressIds = std::array<std::string_view, 7>;
constexpr AddressIds kSellerAddress = {"BT-35", "BT-36", "BT-162", "BT-37",
                                       "BT-38", "BT-39", "BT-40"};
constexpr AddressIds kBuyerAddress = {"BT-50", "BT-51", "BT-163", "BT-52",
                                      "BT-53", "BT-54", "BT-55"};
constexpr AddressIds kTaxRepresentativeAddress = {"BT-64", "BT-65", "BT-164", "BT-66",
                                                  "BT-67", "BT-68", "BT-69"};
constexpr AddressIds kDeliverToAddress = {"BT-75", "BT-76", "BT-165", "BT-77",
                                          "BT-78", "BT-79", "BT-80"};
using ContactIds = std::array<std::string_view, 3>;
constexpr ContactIds kSellerContact = {"BT-41", "BT-42", "BT-43"};
constexpr ContactIds kBuyerContact = {"BT-56", "BT-57", "BT-58"};
using AllowanceChargeIds = std::array<std::string_view, 7>;
constexpr AllowanceChargeIds kDocumentAllowance = {"BT-92", "BT-93", "BT-94", "BT-95",
                                                   "BT-96", "BT-97", "BT-98"};
constexpr AllowanceChargeIds kDocumentCharge = {"BT-99",  "BT-100", "BT-101", "BT-102",
                                                "BT-103", "BT-104", "BT-105"};
using LineAllowanceChargeIds = std::array<std::string_view, 5>;
constexpr LineAllowanceChargeIds kLineAllowance = {"BT-136", "BT-137", "BT-138", "BT-139",
                                                   "BT-140"};
constexpr LineAllowanceChargeIds kLineCharge = {"BT-141", "BT-142", "BT-143", "BT-144", "BT-145"};

class Flattener {
public:
    std::vector<FlatValue> take() { return std::move(out_); }

    template <class T>
    void put(std::string_view term, const Term<T>& v) {
        if (v) {
            emit(term, v->parsed() ? canonical(v->value) : "?" + *v->unparsed, v->source);
        }
    }

    // An Identifier: the id under `term`, its scheme under `scheme_term`, its version under
    // `version_term` ("" when the term has no version sub-term).
    void put(std::string_view term, const Term<Identifier>& v, std::string_view scheme_term,
             std::string_view version_term = {}) {
        if (v) {
            put(term, *v, scheme_term, version_term);
        }
    }

    void put(std::string_view term, const Value<Identifier>& v, std::string_view scheme_term,
             std::string_view version_term = {}) {
        emit(term, v.value.id, v.source);
        if (v.value.scheme) {
            emit(scheme_term, *v.value.scheme, v.source);
        }
        if (v.value.scheme_version && !version_term.empty()) {
            emit(version_term, *v.value.scheme_version, v.source);
        }
    }

    void put(std::string_view term, const Term<BinaryObject>& v) {
        if (!v) {
            return;
        }
        emit(term, v->value.content, v->source);
        if (v->value.mime_code) {
            emit("BT-125-1", *v->value.mime_code, v->source);
        }
        if (v->value.filename) {
            emit("BT-125-2", *v->value.filename, v->source);
        }
    }

    // Runs `body` with "/<id>[<n>]" appended to the occurrence (n 1-based; 0 = not repeatable).
    template <class F>
    void within(std::string_view id, std::size_t n, F&& body) {
        const std::size_t length = occurrence_.size();
        if (!occurrence_.empty()) {
            occurrence_ += '/';
        }
        occurrence_ += id;
        if (n > 0) {
            occurrence_ += '[' + std::to_string(n) + ']';
        }
        std::forward<F>(body)();
        occurrence_.resize(length);
    }

private:
    void emit(std::string_view term, std::string value, const Source& source) {
        out_.push_back(FlatValue{term, occurrence_, std::move(value), &source});
    }

    std::vector<FlatValue> out_;
    std::string occurrence_;
};

void flatten_address(Flattener& f, std::string_view group, const std::optional<PostalAddress>& a,
                     const AddressIds& ids) {
    if (!a) {
        return;
    }
    f.within(group, 0, [&] {
        f.put(ids[0], a->line_1);
        f.put(ids[1], a->line_2);
        f.put(ids[2], a->line_3);
        f.put(ids[3], a->city);
        f.put(ids[4], a->post_code);
        f.put(ids[5], a->country_subdivision);
        f.put(ids[6], a->country_code);
    });
}

void flatten_contact(Flattener& f, std::string_view group, const std::optional<Contact>& c,
                     const ContactIds& ids) {
    if (!c) {
        return;
    }
    f.within(group, 0, [&] {
        f.put(ids[0], c->point);
        f.put(ids[1], c->telephone);
        f.put(ids[2], c->email);
    });
}

void flatten_seller(Flattener& f, const Seller& s) {
    f.within("BG-4", 0, [&] {
        f.put("BT-27", s.name);
        f.put("BT-28", s.trading_name);
        for (std::size_t i = 0; i < s.identifiers.size(); ++i) {
            f.within("BT-29", i + 1, [&] { f.put("BT-29", s.identifiers[i], "BT-29-1"); });
        }
        f.put("BT-30", s.legal_registration_id, "BT-30-1");
        f.put("BT-31", s.vat_id);
        f.put("BT-32", s.tax_registration_id);
        f.put("BT-33", s.additional_legal_information);
        f.put("BT-34", s.electronic_address, "BT-34-1");
        flatten_address(f, "BG-5", s.postal_address, kSellerAddress);
        flatten_contact(f, "BG-6", s.contact, kSellerContact);
    });
}

void flatten_buyer(Flattener& f, const Buyer& b) {
    f.within("BG-7", 0, [&] {
        f.put("BT-44", b.name);
        f.put("BT-45", b.trading_name);
        f.put("BT-46", b.identifier, "BT-46-1");
        f.put("BT-47", b.legal_registration_id, "BT-47-1");
        f.put("BT-48", b.vat_id);
        f.put("BT-49", b.electronic_address, "BT-49-1");
        flatten_address(f, "BG-8", b.postal_address, kBuyerAddress);
        flatten_contact(f, "BG-9", b.contact, kBuyerContact);
    });
}

void flatten_parties(Flattener& f, const Invoice& inv) {
    if (inv.payee) {
        f.within("BG-10", 0, [&] {
            f.put("BT-59", inv.payee->name);
            f.put("BT-60", inv.payee->identifier, "BT-60-1");
            f.put("BT-61", inv.payee->legal_registration_id, "BT-61-1");
        });
    }
    if (inv.tax_representative) {
        f.within("BG-11", 0, [&] {
            f.put("BT-62", inv.tax_representative->name);
            f.put("BT-63", inv.tax_representative->vat_id);
            flatten_address(f, "BG-12", inv.tax_representative->postal_address,
                            kTaxRepresentativeAddress);
        });
    }
}

void flatten_delivery(Flattener& f, const std::optional<Delivery>& d) {
    if (!d) {
        return;
    }
    f.within("BG-13", 0, [&] {
        f.put("BT-70", d->deliver_to_party_name);
        f.put("BT-71", d->deliver_to_location_id, "BT-71-1");
        f.put("BT-72", d->actual_delivery_date);
        if (d->invoicing_period) {
            f.within("BG-14", 0, [&] {
                f.put("BT-73", d->invoicing_period->start_date);
                f.put("BT-74", d->invoicing_period->end_date);
            });
        }
        flatten_address(f, "BG-15", d->deliver_to_address, kDeliverToAddress);
    });
}

void flatten_payment(Flattener& f, const std::optional<PaymentInstructions>& p) {
    if (!p) {
        return;
    }
    f.within("BG-16", 0, [&] {
        f.put("BT-81", p->means_type_code);
        f.put("BT-82", p->means_text);
        f.put("BT-83", p->remittance_information);
        for (std::size_t i = 0; i < p->credit_transfers.size(); ++i) {
            const CreditTransfer& t = p->credit_transfers[i];
            f.within("BG-17", i + 1, [&] {
                f.put("BT-84", t.account_id);
                f.put("BT-85", t.account_name);
                f.put("BT-86", t.service_provider_id);
            });
        }
        if (p->card) {
            f.within("BG-18", 0, [&] {
                f.put("BT-87", p->card->primary_account_number);
                f.put("BT-88", p->card->holder_name);
            });
        }
        if (p->direct_debit) {
            f.within("BG-19", 0, [&] {
                f.put("BT-89", p->direct_debit->mandate_reference);
                f.put("BT-90", p->direct_debit->creditor_id);
                f.put("BT-91", p->direct_debit->debited_account_id);
            });
        }
    });
}

void flatten_allowances(Flattener& f, std::string_view group,
                        const std::vector<DocumentAllowanceCharge>& list,
                        const AllowanceChargeIds& ids) {
    for (std::size_t i = 0; i < list.size(); ++i) {
        const DocumentAllowanceCharge& a = list[i];
        f.within(group, i + 1, [&] {
            f.put(ids[0], a.amount);
            f.put(ids[1], a.base_amount);
            f.put(ids[2], a.percentage);
            f.put(ids[3], a.vat_category_code);
            f.put(ids[4], a.vat_rate);
            f.put(ids[5], a.reason);
            f.put(ids[6], a.reason_code);
        });
    }
}

void flatten_totals(Flattener& f, const DocumentTotals& t) {
    f.within("BG-22", 0, [&] {
        f.put("BT-106", t.sum_of_line_net_amounts);
        f.put("BT-107", t.sum_of_allowances);
        f.put("BT-108", t.sum_of_charges);
        f.put("BT-109", t.total_without_vat);
        f.put("BT-110", t.total_vat);
        f.put("BT-111", t.total_vat_in_accounting_currency);
        f.put("BT-112", t.total_with_vat);
        f.put("BT-113", t.paid_amount);
        f.put("BT-114", t.rounding_amount);
        f.put("BT-115", t.amount_due);
    });
}

void flatten_vat_and_documents(Flattener& f, const Invoice& inv) {
    for (std::size_t i = 0; i < inv.vat_breakdown.size(); ++i) {
        const VatBreakdown& v = inv.vat_breakdown[i];
        f.within("BG-23", i + 1, [&] {
            f.put("BT-116", v.taxable_amount);
            f.put("BT-117", v.tax_amount);
            f.put("BT-118", v.category_code);
            f.put("BT-119", v.rate);
            f.put("BT-120", v.exemption_reason);
            f.put("BT-121", v.exemption_reason_code);
        });
    }
    for (std::size_t i = 0; i < inv.additional_documents.size(); ++i) {
        const AdditionalDocument& d = inv.additional_documents[i];
        f.within("BG-24", i + 1, [&] {
            f.put("BT-122", d.reference);
            f.put("BT-123", d.description);
            f.put("BT-124", d.external_location);
            f.put("BT-125", d.attachment);
        });
    }
}

void flatten_line_allowances(Flattener& f, std::string_view group,
                             const std::vector<LineAllowanceCharge>& list,
                             const LineAllowanceChargeIds& ids) {
    for (std::size_t i = 0; i < list.size(); ++i) {
        const LineAllowanceCharge& a = list[i];
        f.within(group, i + 1, [&] {
            f.put(ids[0], a.amount);
            f.put(ids[1], a.base_amount);
            f.put(ids[2], a.percentage);
            f.put(ids[3], a.reason);
            f.put(ids[4], a.reason_code);
        });
    }
}

void flatten_item(Flattener& f, const Item& item) {
    f.within("BG-31", 0, [&] {
        f.put("BT-153", item.name);
        f.put("BT-154", item.description);
        f.put("BT-155", item.sellers_id);
        f.put("BT-156", item.buyers_id);
        f.put("BT-157", item.standard_id, "BT-157-1");
        for (std::size_t i = 0; i < item.classification_ids.size(); ++i) {
            f.within("BT-158", i + 1,
                     [&] { f.put("BT-158", item.classification_ids[i], "BT-158-1", "BT-158-2"); });
        }
        f.put("BT-159", item.country_of_origin);
        for (std::size_t i = 0; i < item.attributes.size(); ++i) {
            f.within("BG-32", i + 1, [&] {
                f.put("BT-160", item.attributes[i].name);
                f.put("BT-161", item.attributes[i].value);
            });
        }
    });
}

void flatten_line(Flattener& f, const InvoiceLine& line) {
    f.put("BT-126", line.id);
    f.put("BT-127", line.note);
    f.put("BT-128", line.object_id, "BT-128-1");
    f.put("BT-129", line.quantity);
    f.put("BT-130", line.quantity_unit_code);
    f.put("BT-131", line.net_amount);
    f.put("BT-132", line.purchase_order_line_reference);
    f.put("BT-133", line.buyer_accounting_reference);
    if (line.period) {
        f.within("BG-26", 0, [&] {
            f.put("BT-134", line.period->start_date);
            f.put("BT-135", line.period->end_date);
        });
    }
    flatten_line_allowances(f, "BG-27", line.allowances, kLineAllowance);
    flatten_line_allowances(f, "BG-28", line.charges, kLineCharge);
    f.within("BG-29", 0, [&] {
        f.put("BT-146", line.price.net_price);
        f.put("BT-147", line.price.discount);
        f.put("BT-148", line.price.gross_price);
        f.put("BT-149", line.price.base_quantity);
        f.put("BT-150", line.price.base_quantity_unit_code);
    });
    f.within("BG-30", 0, [&] {
        f.put("BT-151", line.vat.category_code);
        f.put("BT-152", line.vat.rate);
    });
    flatten_item(f, line.item);
}

void flatten_header(Flattener& f, const Invoice& inv) {
    f.put("BT-1", inv.number);
    f.put("BT-2", inv.issue_date);
    f.put("BT-3", inv.type_code);
    f.put("BT-5", inv.currency_code);
    f.put("BT-6", inv.vat_accounting_currency_code);
    f.put("BT-7", inv.vat_point_date);
    f.put("BT-8", inv.vat_point_date_code);
    f.put("BT-9", inv.payment_due_date);
    f.put("BT-10", inv.buyer_reference);
    f.put("BT-11", inv.project_reference);
    f.put("BT-12", inv.contract_reference);
    f.put("BT-13", inv.purchase_order_reference);
    f.put("BT-14", inv.sales_order_reference);
    f.put("BT-15", inv.receiving_advice_reference);
    f.put("BT-16", inv.despatch_advice_reference);
    f.put("BT-17", inv.tender_or_lot_reference);
    f.put("BT-18", inv.invoiced_object_id, "BT-18-1");
    f.put("BT-19", inv.buyer_accounting_reference);
    f.put("BT-20", inv.payment_terms);
    for (std::size_t i = 0; i < inv.notes.size(); ++i) {
        f.within("BG-1", i + 1, [&] {
            f.put("BT-21", inv.notes[i].subject_code);
            f.put("BT-22", inv.notes[i].note);
        });
    }
    f.within("BG-2", 0, [&] {
        f.put("BT-23", inv.process_control.business_process_type);
        f.put("BT-24", inv.process_control.specification_identifier);
    });
    for (std::size_t i = 0; i < inv.preceding_invoices.size(); ++i) {
        f.within("BG-3", i + 1, [&] {
            f.put("BT-25", inv.preceding_invoices[i].reference);
            f.put("BT-26", inv.preceding_invoices[i].issue_date);
        });
    }
}

}  // namespace

std::vector<FlatValue> flatten(const Invoice& invoice) {
    Flattener f;
    flatten_header(f, invoice);
    flatten_seller(f, invoice.seller);
    flatten_buyer(f, invoice.buyer);
    flatten_parties(f, invoice);
    flatten_delivery(f, invoice.delivery);
    flatten_payment(f, invoice.payment_instructions);
    flatten_allowances(f, "BG-20", invoice.allowances, kDocumentAllowance);
    flatten_allowances(f, "BG-21", invoice.charges, kDocumentCharge);
    flatten_totals(f, invoice.totals);
    flatten_vat_and_documents(f, invoice);
    for (std::size_t i = 0; i < invoice.lines.size(); ++i) {
        f.within("BG-25", i + 1, [&] { flatten_line(f, invoice.lines[i]); });
    }
    return f.take();
}

}  // namespace facteur::model
