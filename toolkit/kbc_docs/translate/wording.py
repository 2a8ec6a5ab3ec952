"""What the exported files say to the translator: Vietnamese, the language translated from,
with English after a slash for a translator who reads it better. Data, kept in one place."""

HEADER = (
    "Bản dịch cho tệp nội dung {file} của kbc-docs. Dịch từng đoạn; giữ nguyên tên riêng theo "
    "bảng thuật ngữ. / Translation for the kbc-docs content file {file}. Translate each text; "
    "use the glossary for names."
)
CHANGED = (
    "Tiếng Việt đã sửa sau lần dịch trước: kiểm tra lại bản dịch. / The Vietnamese changed "
    "after the last translation: check the translation."
)
REVIEW = (
    "Bản dịch này làm từ tiếng Việt cũ, chưa được nhập: kiểm tra lại. / This translation was "
    "made from an older Vietnamese and was not imported: check it."
)
TERMS = "Tên riêng theo danh mục / registry names: {names}"
REGISTRY_SECTION = "Danh mục tên riêng dùng chung / Shared registry ({file})"
REGISTRY_NOTE = (
    "Tên riêng trong danh mục dùng chung {file}: bản dịch được ghi vào danh mục và dùng cho mọi "
    "hội nghị nêu tên này. / A name in the shared registry {file}: the translation goes into "
    "the registry and is used by every conference that names it."
)
UNTRANSLATED_TERM = (
    "chưa dịch: dịch trong tệp bản dịch / not yet translated: see the translation file"
)
TABLE_TITLE = "Bản dịch / Translation — {file}"
TABLE_HELP = (
    "Điền bản dịch vào cột bên phải, mỗi ô một đoạn. Không thêm, xóa, di chuyển hàng; "
    "không sửa cột số và cột tiếng Việt. Lưu lại dạng Word (.docx) và gửi lại tệp này. "
    "Ô tô vàng: tiếng Việt đã sửa, cần xem lại bản dịch. / Type the translation into the "
    "right-hand column, one text per cell. Do not add, delete or move rows, and do not change "
    "the number and Vietnamese columns. Save as Word (.docx) and send this file back. Yellow "
    "cells: the Vietnamese changed, check the translation."
)
COLUMN_NUMBER = "#"
GLOSSARY_TITLE = "Thuật ngữ / Glossary (không nhập lại / not imported)"

PLACES = {
    # whole fields
    "document.title": "Trích yếu (tên báo cáo)",
    "agreement.name": "Tên giao ước",
    "conference.venue": "Địa điểm hội nghị",
    # parts of a place in the report
    "paragraph": "đoạn",
    "item": "ý",
    "field": "mục",
    "field_title": "tên mục",
    "figure_label": "tên số liệu",
    "figure_unit": "đơn vị số liệu",
    "parties": "Thành phần",
    # a party's texts (field path after ``parties[i].``)
    "others": "thành phần dự (không nêu tên)",
    "delegation.description": "mô tả đoàn",
    "signer.title": "chức vụ người ký",
    "signer.on_behalf_of": "cơ quan người ký thay mặt",
    # a registry text: the kind of entry, then the field (``registry.`` + its path in the entry)
    "registry.parties": "cơ quan",
    "registry.places": "địa danh",
    "registry.people": "người",
    "registry.name": "tên",
    "registry.short_name": "tên viết tắt",
    "registry.header.superior": "dòng cơ quan chủ quản (tiêu đề)",
    "registry.header.body": "dòng tên cơ quan (tiêu đề)",
    "registry.honorific": "danh xưng",
    "registry.titles": "chức vụ",
}
"""Where a text stands in the report, as the notes and the Word table say it."""
