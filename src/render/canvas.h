#pragma once

// Private: a thin drawing surface over one libharu document (canvas.cpp is the only file of
// facteur that includes libharu). Coordinates in PDF points from the bottom-left corner of an
// A4 page. Text is UTF-8; what the font cannot draw becomes "?".

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "facteur/core/result.h"
#include "facteur/render/invoice_pdf.h"

namespace facteur::render {

inline constexpr double kPageWidthPt = 595.276;   // A4, 210 mm
inline constexpr double kPageHeightPt = 841.89;   // A4, 297 mm

/// How the fonts of a document encode text. Both draw the same glyphs with the same widths.
enum class TextEncoding {
    /// Simple TrueType fonts, /Encoding /WinAnsiEncoding (Windows-1252, one byte per
    /// character), /ToUnicode for text extraction: cheap to build, but only for text within
    /// Windows-1252 (Canvas::needs_unicode()).
    kWinAnsi,
    /// Type0 fonts, Identity-H, code = BMP code point, identity /ToUnicode: any BMP character.
    /// libharu maps all 65,536 code points per font per document, which costs several ms.
    kUnicode,
};

/// Text style: bold or regular, size in points.
struct Style {
    bool bold = false;
    double size_pt = 9;
};

class Canvas {
public:
    /// A new document with the fonts of `options` loaded (embedded) for `encoding`.
    /// Errors: kNotFound (font file missing), kInvalidInput (not a TrueType font),
    /// kResourceExhausted (font file over font_bytes_max, or out of memory), kInternal.
    [[nodiscard]] static core::Result<Canvas> open(const RenderOptions& options,
                                                   TextEncoding encoding);

    Canvas(Canvas&&) noexcept;
    Canvas& operator=(Canvas&&) noexcept;
    ~Canvas();

    /// Adds an A4 portrait page and makes it current. Errors: kResourceExhausted past
    /// page_count_max.
    [[nodiscard]] core::Result<std::size_t> add_page();

    /// Makes page `index` (0-based, < page_count()) current again, to draw footers last.
    void select_page(std::size_t index);

    [[nodiscard]] std::size_t page_count() const noexcept;

    /// True once a kWinAnsi canvas was given text (drawn or measured) with a character that
    /// Windows-1252 lacks (after the "?" and space replacements); text is no longer drawn from
    /// then on, and the document must be drawn again on a kUnicode canvas. Never true for
    /// kUnicode.
    [[nodiscard]] bool needs_unicode() const noexcept;

    /// Draws `text` with its baseline starting at (x, y).
    void text(double x_pt, double y_pt, std::string_view text, Style style);

    /// Draws `text` ending at x_right.
    void text_right(double x_right_pt, double y_pt, std::string_view text, Style style);

    /// Width of `text` in points.
    [[nodiscard]] double width(std::string_view text, Style style);

    /// A horizontal rule, gray level 0 (black) .. 1 (white).
    void rule(double x1_pt, double x2_pt, double y_pt, double gray, double line_width_pt);

    /// A filled rectangle, gray level 0 .. 1.
    void fill(double x_pt, double y_pt, double width_pt, double height_pt, double gray);

    /// The PDF. Errors: kInternal when libharu reported an error at any point;
    /// kResourceExhausted over pdf_bytes_max.
    [[nodiscard]] core::Result<std::string> finish();

private:
    struct State;

    explicit Canvas(std::unique_ptr<State> state);

    std::unique_ptr<State> state_;
};

}  // namespace facteur::render
