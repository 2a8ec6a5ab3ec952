"""A small hand-made view model for renderer tests that must not depend on the content loader."""

from __future__ import annotations

from kbc_docs.text.segment import segment
from kbc_docs.view import DocumentView, FontStack, HeaderBody, Para, SignerBlock, Version

KM_LONG = (
    "រណសិរ្សសាមគ្គីអភិវឌ្ឍន៍មាតុភូមិកម្ពុជាខេត្តកំពតនិងគណៈកម្មាធិការរណសិរ្សមាតុភូមិវៀតណាមខេត្តគៀនយ៉ាង"
    "បានសហការគ្នាយ៉ាងល្អក្នុងការផ្សព្វផ្សាយគោលនយោបាយនិងច្បាប់ស្តីពីការកសាងព្រំដែនសន្តិភាពមិត្តភាព"
    "និងកិច្ចសហប្រតិបត្តិការគ្រប់ជ្រុងជ្រោយដើម្បីការអភិវឌ្ឍរួមគ្នា។"
)


def sample_view() -> DocumentView:
    """Two parties, Vietnamese and Khmer, with every role of paragraph."""
    vi = Version(
        lang="vi",
        national_title="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        motto="Độc lập - Tự do - Hạnh phúc",
        bodies=[
            HeaderBody("ỦY BAN MTTQ VIỆT NAM", "TỈNH KIÊN GIANG"),
            HeaderBody("ỦY BAN MẶT TRẬN ĐOÀN KẾT PHÁT TRIỂN", "TỔ QUỐC CAMPUCHIA TỈNH KAMPOT"),
        ],
        number="Số: 12/BC-MTTQ-BTT",
        lunar_date=None,
        date_line="Kiên Giang, ngày 16 tháng 11 năm 2023",
        kind="BÁO CÁO",
        title="Sơ kết 01 năm thực hiện Giao ước thi đua xây dựng đường biên giới hòa bình",
        body=[
            Para("body", "Ngày 16/11/2023, tại hội trường Ủy ban MTTQ Việt Nam tỉnh Kiên Giang."),
            Para("h1", "I. TÌNH HÌNH CHUNG"),
            Para("body", "Việt Nam – Campuchia là hai nước láng giềng <b>&amp; {{ 7*7 }}."),
            Para("h1", "II. KẾT QUẢ THỰC HIỆN"),
            Para("h2", "1. Công tác tuyên truyền"),
            Para("body", "Hai tỉnh tuyên truyền, triển khai các nội dung hợp tác. " * 8),
            Para("item", "Hài cốt liệt sĩ được cất bốc: 06 bộ."),
        ],
        closing="Báo cáo được làm tại Kiên Giang, ngày 16/11/2023, thành 02 bản, mỗi bản bằng "
        "tiếng Việt và tiếng Khmer, các văn bản có giá trị như nhau; mỗi bên giữ 01 bản.",
        signers=[
            SignerBlock("vn-kiengiang-mttq", "TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "Lê Thị Vệ"),
            SignerBlock("kh-kampot-sfdcm", "", "PHÓ CHỦ TỊCH THƯỜNG TRỰC", "Đuông Savan"),
        ],
        recipients_label="Nơi nhận:",
        recipients=["- Ban Thường trực UBTW MTTQ Việt Nam;", "- Lưu: VT."],
    )
    km = Version(
        lang="km",
        national_title="ព្រះរាជាណាចក្រកម្ពុជា",
        motto="ជាតិ សាសនា ព្រះមហាក្សត្រ",
        bodies=[
            HeaderBody(None, segment("រណសិរ្សសាមគ្គីអភិវឌ្ឍន៍មាតុភូមិកម្ពុជាខេត្តកំពត", "km")),
            HeaderBody(None, segment("គណៈកម្មាធិការរណសិរ្សមាតុភូមិវៀតណាមខេត្តគៀនយ៉ាង", "km")),
        ],
        number="លេខ៖ ១២/BC-MTTQ-BTT",
        lunar_date="ថ្ងៃព្រហស្បតិ៍ ៤កើត ខែមិគសិរ ឆ្នាំថោះ បញ្ចស័ក ព.ស.២៥៦៧",
        date_line="គៀនយ៉ាង, ថ្ងៃទី១៦ ខែវិច្ឆិកា ឆ្នាំ២០២៣",
        kind="របាយការណ៍",
        title=segment("បូកសរុបបឋមរយៈពេល០១ឆ្នាំនៃការអនុវត្តកិច្ចព្រមព្រៀងប្រកួតប្រជែង", "km"),
        body=[
            Para("body", segment("នៅថ្ងៃទី១៦/១១/២០២៣ នៅសាលប្រជុំ", "km")),
            Para("h1", "I. " + segment("ស្ថានភាពទូទៅ", "km")),
            Para("body", segment(KM_LONG, "km")),
            Para("h1", "II. " + segment("លទ្ធផលនៃការអនុវត្ត", "km")),
            Para("h2", "១. " + segment("ការផ្សព្វផ្សាយ", "km")),
            Para("body", segment(KM_LONG * 2, "km")),
            Para("item", segment("ធ្អឹងទាហាន៖ ០៦ សព។", "km")),
        ],
        closing=segment("របាយការណ៍នេះធ្វើឡើងចំនួន ០២ច្បាប់ ដែលមានតម្លៃស្មើគ្នា។", "km"),
        signers=[
            SignerBlock("kh-kampot-sfdcm", "", "អនុប្រធានប្រចាំការ", "ឌួង សាវ៉ាន"),
            SignerBlock("vn-kiengiang-mttq", "តំណាង", "ប្រធាន", "ឡេ ធី វេ"),
        ],
        recipients_label="កន្លែងទទួល៖",
        recipients=[],
        header_style="centred",
        digits="khmr",
    )
    fonts = {
        "vi": FontStack(
            "Times New Roman",
            "Times New Roman",
            ["Tinos", "Liberation Serif"],
            ["Tinos", "Liberation Serif"],
            ["fonts-croscore"],
        ),
        "km": FontStack(
            "Khmer OS Siemreap",
            "Khmer OS Muol Light",
            ["Tinos", "Khmer OS Siemreap"],
            ["Tinos", "Khmer OS Muol Light"],
            ["fonts-khmeros"],
        ),
    }
    return DocumentView("sample", ["vi", "km"], "sequential", [vi, km], fonts)
